"""The HTTP layer: one blueprint per resource; views validate, call logic, commit once."""

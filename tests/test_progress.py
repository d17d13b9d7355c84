"""Progress bars only on a terminal."""

from registry.progress import progress


def test_no_bar_when_not_on_a_terminal(capsys):
    assert list(progress(range(3), "work", 3)) == [0, 1, 2]
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_bar_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert list(progress(range(3), "work", 3)) == [0, 1, 2]
    assert "work" in capsys.readouterr().err

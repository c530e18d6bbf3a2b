"""Progress in log files: plain lines, no carriage returns, at most one per 10 % step."""

import io as _io

from rnnstruct.core.progress import LineProgress, progress


def test_line_progress_writes_plain_lines_per_ten_percent_step():
    out = _io.StringIO()
    items = list(LineProgress(range(50), desc="sweep", unit="batch", min_seconds=0.0, stream=out))
    assert items == list(range(50))
    text = out.getvalue()
    assert "\r" not in text
    lines = text.splitlines()
    assert lines[0].startswith("sweep: 5/50 batch (10 %)")
    assert lines[-1].startswith("sweep: 50/50 batch (100 %)") and lines[-1].endswith("(done)")
    assert len(lines) == 11  # ten steps and the closing line


def test_update_and_close_without_iterable():
    out = _io.StringIO()
    bar = LineProgress(total=4, desc="numerics", min_seconds=0.0, stream=out)
    for _ in range(4):
        bar.update()
    bar.close()
    bar.close()  # closing twice writes once
    assert out.getvalue().count("(done)") == 1


def test_progress_off_a_terminal_is_plain_and_disabled_is_the_iterable(capsys):
    data = [1, 2, 3]
    assert progress(data, desc="x", disable=True) is data
    assert list(progress(data, desc="x")) == data  # stderr is captured here, not a terminal
    err = capsys.readouterr().err
    assert "x: 3/3" in err and "\r" not in err

"""The report's charts, written as plain SVG (reports/_svg, _plot, _ticks, _font).

A small known chat goes through the real reader and analysis; each chart's SVG is parsed with
xml.etree and checked for what a reader of the page would see.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import SAMPLES

from chat_review.analysis import analyse
from chat_review.config import load_config
from chat_review.reader._parse import parse_export_bytes
from chat_review.reports import _charts, _font, _plot, _staff, _svg, _ticks, _typst

NS = {"s": "http://www.w3.org/2000/svg"}

# Wed 2 – Mon 7 Sep 2026 (term has started: the sample settings' summer holiday ends 1 Sep).
# Sample working hours: Mon–Thu 08:00–17:00, Fri 08:00–16:00.
CHAT = """\
02/09/2026, 09:00 - Tom Aldridge: Is PE today?
02/09/2026, 09:05 - Tom Aldridge: Thanks
02/09/2026, 21:30 - Tom Aldridge: One more thing
03/09/2026, 10:00 - Grace Mensah: Reading books are due Monday
05/09/2026, 10:00 - Tom Aldridge: Saturday question for Mrs Okafor
07/09/2026, 07:30 - Grace Mensah: Early one
07/09/2026, 07:45 - Grace Mensah: Early two
07/09/2026, 07:50 - Grace Mensah: Early three
07/09/2026, 12:00 - Tom Aldridge: Lunchtime
"""


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    path = tmp_path_factory.mktemp("chat") / "WhatsApp Chat with Year 3.txt"
    path.write_text(CHAT, encoding="utf-8")
    data = path.read_bytes()
    chat = parse_export_bytes(data, path.name, sha256=hashlib.sha256(data).hexdigest())
    return analyse([chat], load_config(SAMPLES / "chat-review.toml", None))


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def bars(root: ElementTree.Element, group: str) -> list[tuple[float, float]]:
    """(x, height) of each bar in a group, left to right."""
    return sorted((float(r.get("x")), float(r.get("height")))
                  for r in root.findall(f"s:g[@id='{group}']/s:rect", NS))


def texts(root: ElementTree.Element, group: str | None = None) -> list[str]:
    where = f"s:g[@id='{group}']//s:text" if group else ".//s:text"
    return [t.text or "" for t in root.findall(where, NS)]


# --------------------------------------------------------------------------- writer


def test_numbers_are_written_with_at_most_two_decimals_and_never_minus_zero():
    assert [_svg.num(v) for v in (12, 12.5, 1 / 3, -0.001, 2.999)] == ["12", "12.5", "0.33",
                                                                        "0", "3"]


def test_text_is_escaped_and_control_characters_cannot_break_the_xml():
    svg = _svg.Svg(10, 10)
    svg.text(0, 5, 'Tom & "Jo" <b>\x07', 7)
    root = parse(svg.render())
    assert texts(root) == ['Tom & "Jo" <b>\ufffd']


def test_the_font_reader_agrees_with_fonttools_on_map_and_widths():
    from fontTools.ttLib import TTFont

    path = Path(_typst.font_dir()) / "DejaVuSans.ttf"
    font = TTFont(str(path))
    order, widths = font.getGlyphOrder(), font["hmtx"].metrics
    mine = _font.read_metrics(path)
    assert {k: order[v] for k, v in mine.cmap.items()} == font.getBestCmap()
    assert [widths[order[i]][0] for i in range(len(mine.advances))] == list(mine.advances)
    assert mine.units_per_em == font["head"].unitsPerEm


def test_text_width_grows_with_the_text_and_the_size():
    assert _font.text_width("Mon", 10) == pytest.approx(2 * _font.text_width("Mon", 5))
    assert _font.text_width("Wednesday", 7) > _font.text_width("Wed", 7) > 0


# --------------------------------------------------------------------------- ticks


@pytest.mark.parametrize(("start", "end", "first", "unit"), [
    (date(2026, 9, 5), date(2026, 9, 12), "5 Sep", 1),  # a week: every day
    (date(2026, 9, 1), date(2026, 10, 1), "7 Sep", 7),  # a month: Mondays
    (date(2026, 8, 31), date(2026, 11, 14), "1 Sep", None),  # a term: 1st and 15th
    (date(2025, 9, 1), date(2026, 7, 25), "Sep 2025", None),  # a school year: months
    (date(2020, 1, 3), date(2026, 7, 25), "2021", 365),  # years
])
def test_date_ticks_are_few_readable_and_evenly_stepped(start, end, first, unit):
    ticks = _ticks.date_ticks(start, end)
    assert 3 <= len(ticks) <= _ticks.MAX_DATE_TICKS
    assert ticks[0][1] == first
    assert all(not label.startswith("0") for _, label in ticks)
    assert all(0 <= x <= (end - start).days for x, _ in ticks)
    if unit:
        steps = {round(b[0] - a[0]) for a, b in zip(ticks, ticks[1:], strict=False)}
        assert steps <= {unit, unit + 1}


def test_count_ticks_end_on_a_round_number_at_or_above_the_top():
    for top in (1, 7, 12, 47, 101, 3963, 20000):
        ticks = _ticks.count_ticks(top)
        step = ticks[1] - ticks[0]
        assert ticks[0] == 0 and ticks[-1] >= top > ticks[-2]
        assert len(ticks) <= 6 and all(b - a == step for a, b in zip(ticks, ticks[1:],
                                                                     strict=False))
        assert str(step).strip("0") in ("1", "2", "25", "5")


# --------------------------------------------------------------------------- charts


def test_timeline_has_one_bar_per_day_with_the_days_counts(findings):
    root = parse(_charts.timeline(findings))
    inside, outside = bars(root, "in-hours"), bars(root, "out-of-hours")
    # in hours: Wed 2 (2), Thu 3 (1), Mon 7 (1); out of hours: Wed 2 (1), Sat 5 (1), Mon 7 (3)
    assert len(inside) == 3 and len(outside) == 3
    unit = inside[1][1]  # one message
    assert [round(h / unit, 3) for _, h in inside] == [2, 1, 1]
    assert [round(h / unit, 3) for _, h in outside] == [1, 1, 3]
    # days are evenly spaced: Wed 2 to Thu 3 is one day, to Mon 7 five
    day = inside[1][0] - inside[0][0]
    assert inside[2][0] - inside[0][0] == pytest.approx(5 * day)
    assert "2 Sep" in texts(root, "x-axis") and "Messages per day" in texts(root)


def test_heatmap_cells_hold_their_counts_and_working_hours_are_outlined(findings):
    root = parse(_charts.heatmap(findings))
    numbers = texts(root, "numbers")
    assert sorted(numbers) == sorted(["2", "1", "1", "1", "3", "1"])  # Wed 09, Wed 21, ...
    outline = root.findall("s:g[@id='working-hours']/s:rect", NS)
    assert len(outline) == 5  # Monday to Friday
    widths = [float(r.get("width")) for r in outline]
    # Friday ends at 16:00, not 17:00
    assert widths[4] == pytest.approx(widths[0] * 8 / 9, abs=0.01)
    assert "Black outline = working hours on school days" in texts(root)[0]
    assert texts(root, "axes")[:7] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_heatmap_says_when_no_working_hours_are_known():
    root = parse(_plot.heatmap([[0] * 24 for _ in range(7)], None))
    assert not root.findall("s:g[@id='working-hours']", NS)
    assert "no outline drawn" in texts(root)[0]


def test_sender_bars_show_n_of_n_and_scale_the_bars_alike(findings):
    root = parse(_charts.sender_bars(findings))
    labels = texts(root, "labels")
    assert labels == ["Grace Mensah", "3 of 4 (75%)", "Tom Aldridge", "2 of 5 (40%)"]
    out = [h for h in (float(r.get("width")) for r in
                       root.findall("s:g[@id='out-of-hours']/s:rect", NS))]
    assert out[0] == pytest.approx(1.5 * out[1], abs=0.02)  # 3 and 2, to 0.01 pt


def test_long_names_are_shortened_and_the_labels_fit_the_chart():
    rows = [("A" * 20 + " Very-Long-Surname-Indeed", 5, 9), ("Bo", 100, 120)]
    root = parse(_plot.bar_chart(rows, "Messages", "#000000"))
    width = float(root.get("viewBox").split()[2])
    for t in root.findall(".//s:text", NS):
        x, size = float(t.get("x") or 0), float(t.get("font-size"))
        w = _font.text_width(t.text, size)
        start = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor", "start")]
        assert start >= 0 and start + w <= width + 0.01, t.text
    assert _plot.TICK >= 7 and _plot.VALUE >= 7


def test_staff_charts_show_the_one_saturday_mention_as_out_of_hours(findings):
    # Tom names Mrs Okafor on Saturday 5 Sep at 10:00: a working hour, but not a working day
    charts = _staff.staff_charts(findings, "Adaeze Okafor")
    assert list(charts) == ["chart-over-time", "chart-by-hour", "chart-per-parent"]
    over_time, by_hour, per_parent = (parse(svg) for svg, _cap, _alt in charts.values())
    assert len(bars(over_time, "parent-0")) == 1
    assert texts(over_time, "legend") == ["Tom Aldridge"]
    assert not bars(by_hour, "in-hours") and len(bars(by_hour, "out-of-hours")) == 1
    [(x, _h)] = bars(by_hour, "out-of-hours")
    ten = next(t for t in by_hour.findall("s:g[@id='x-axis']/s:text", NS) if t.text == "10")
    assert float(ten.get("x")) == pytest.approx(x + float(by_hour.find(
        "s:g[@id='out-of-hours']/s:rect", NS).get("width")) / 2, abs=0.02)
    assert texts(per_parent, "labels") == ["Tom Aldridge", "1 of 1 (100%)"]
    assert "busiest hour is 10:00 with 1 contact" in charts["chart-by-hour"][2]


def test_every_chart_is_drawn_at_the_page_width_with_text_of_at_least_7_pt(findings):
    charts = {**_charts.incident_charts(findings),
              **_staff.staff_charts(findings, "Adaeze Okafor")}
    for name, (svg, _caption, _alt) in charts.items():
        root = parse(svg)
        assert root.get("width") == f"{_svg.num(176 / 25.4 * 72)}pt", name  # 176 mm
        sizes = {float(t.get("font-size")) for t in root.findall(".//s:text", NS)}
        assert sizes and min(sizes) >= 7, name
        assert _charts.height_mm(svg) == pytest.approx(float(root.get("height")[:-2]) / 72
                                                       * 25.4, abs=0.01)


def test_charts_are_byte_identical_across_runs(findings):
    first = _charts.incident_charts(findings)
    assert _charts.incident_charts(findings) == first
    assert _staff.staff_charts(findings, "Adaeze Okafor") == _staff.staff_charts(
        findings, "Adaeze Okafor")


def test_analyse_writing_png_and_pdf_never_imports_matplotlib(tmp_path):
    from conftest import console_script

    export = tmp_path / "chat.txt"
    export.write_text(CHAT, encoding="utf-8")
    home = tmp_path / "home"
    base = [console_script(), "--home", str(home)]
    token = subprocess.run([*base, "consent", "grant", str(export), "--parent", "Ann Parent",
                            "--purpose", "Test", "--recorded-by", "Me"], capture_output=True,
                           text=True, check=True).stdout.strip().splitlines()[-1]
    # The console script's own entry point, saying at exit which modules were imported.
    report = tmp_path / "imported.txt"
    guard = ("import atexit, sys\n"
             f"atexit.register(lambda: open({str(report)!r}, 'w').write("
             "' '.join(sorted(m for m in sys.modules if m.startswith('matplotlib')))))\n"
             "sys.argv = ['chat-review'] + sys.argv[1:]\n"
             "from chat_review.cli import main\n"
             "main()\n")
    proc = subprocess.run([sys.executable, "-c", guard, "--home", str(home), "analyse",
                           str(export), "--token", token, "--png", str(tmp_path / "o.png"),
                           "--pdf", str(tmp_path / "o.pdf"), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o.png").stat().st_size and (tmp_path / "o.pdf").stat().st_size
    assert report.read_text() == ""

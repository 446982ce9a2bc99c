"""Screenshots of every page of `chat-review ui` on the sample exports (for review and README).

    .venv/bin/python docs/screenshots.py OUT_DIR [--readme]

Starts the real `chat-review ui` on a fresh home under OUT_DIR, records the two sample
consents (one through the page, one through the CLI), analyses in the page, and saves one PNG
per page. With --readme, also writes docs/ui-case-page.png (the case page, small).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from web_support import REVIEWER, open_page, start_server  # noqa: E402

SAMPLES = ROOT / "sample_exports"


def _small_png(data: bytes, path: Path) -> None:
    """256 colours are plenty for a page screenshot and keep the repository small."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(256)
    image.save(path, optimize=True)


def main(out: Path, readme: bool) -> None:
    from playwright.sync_api import sync_playwright

    home = out / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copyfile(SAMPLES / "chat-review.toml", home / "chat-review.toml")
    cli = [str(Path(sys.executable).with_name("chat-review")), "--home", str(home)]
    subprocess.run([*cli, "consent", "grant", str(SAMPLES / "class-group-android.txt"),
                    "--parent", "Hannah Whitlock", "--purpose",
                    "Concerns raised about messages naming the class teacher",
                    "--recorded-by", REVIEWER, "--evidence", "Declaration form PD-2026-031"],
                   check=True, capture_output=True)
    server = start_server(home, "--reviewer", REVIEWER)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--lang=en-GB"])
            page, watch = open_page(browser, server)
            page.set_viewport_size({"width": 1280, "height": 900})

            def shot(name: str, full: bool = True) -> None:
                page.screenshot(path=str(out / f"{name}.png"), full_page=full)

            page.get_by_role("link", name="Record a consent").first.click()
            page.get_by_label("The chat export the parent gave you").set_input_files(
                str(SAMPLES / "WhatsApp Chat - Tom Aldridge.zip"))
            page.get_by_label("Parent giving consent").fill("Tom Aldridge")
            page.get_by_label("Why the chat is being reviewed").fill(
                "Out-of-hours messages to the class teacher")
            page.get_by_label("Reference to the signed declaration").fill(
                "Declaration form PD-2026-032")
            shot("2-record-consent")
            page.get_by_role("button", name="Record consent").click()
            shot("3-case-before-analysis")
            page.get_by_role("button", name="Analyse").click()
            page.locator("img.summary").wait_for()
            shot("4-case-page")
            if readme:
                page.goto(page.url.split("#")[0])
                page.set_viewport_size({"width": 1280, "height": 860})
                _small_png(page.screenshot(), ROOT / "docs" / "ui-case-page.png")
            page.get_by_label("Report for").select_option(label="Staff view: Adaeze Okafor")
            page.get_by_label("Pseudonymise").check()
            page.get_by_role("button", name="Analyse").click()
            page.locator("img.summary").wait_for()
            shot("5-case-staff-pseudonymised")
            page.get_by_role("link", name="Consents").click()
            shot("1-consents")
            page.goto(server.base + "/consents/1")
            page.get_by_label("Choose the export again").set_input_files(
                str(SAMPLES / "WhatsApp Chat - Tom Aldridge.zip"))
            page.get_by_role("button", name="Analyse").click()
            shot("6-refusal-different-file")
            page.goto(server.base + "/consents/2/revoke")
            page.get_by_label("Why consent is withdrawn").fill("Parent withdrew consent")
            shot("7-revoke-confirm")
            page.get_by_role("button", name="Yes, revoke consent 2").click()
            shot("8-case-revoked")
            page.get_by_role("link", name="Audit trail").click()
            page.get_by_role("button", name="Verify the audit trail").click()
            shot("9-audit-verified", full=False)
            page.goto(server.base + "/retention")
            shot("10-retention")
            page.goto(server.base + "/settings?from=2026-05-20&to=2026-06-03#calendar")
            shot("11-settings")
            page.get_by_label("Settings (TOML)").fill("[hours]\nmonday = \"nine to five\"\n")
            page.get_by_role("button", name="Check and save").click()
            shot("12-settings-error", full=False)
            watch.check()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]), "--readme" in sys.argv[2:])

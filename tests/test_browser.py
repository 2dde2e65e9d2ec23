"""End-to-end: the app started as `make run` does (`onestop serve`), driven by Debian's headless Chromium through Playwright.

One real Streamlit server (over the real corpus index) and one browser serve the whole module.
Besides the cited answer, this checks accessibility with axe-core (WCAG 2.0, 2.1 and 2.2 A and
AA rules, none excluded), keyboard-only use with a visible focus, and phone-sized screens.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)"),
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FEEDBACK_DIRS: list[Path] = []  # the server's ONESTOP_FEEDBACK_DIR, for the feedback test
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1200, "height": 1000}
PHONE = {"width": 390, "height": 844}
QUESTION = "My employee has a fit note saying they may be fit for work with a phased return - what do I do?"
SOURCE_LINK = "a[href^='https://']:has-text('Official page')"
CHECKLIST_DOWNLOADS = ("Download Markdown", "Download CSV (spreadsheet)", "Download PDF (printable)")
CONVERSATION_DOWNLOADS = ("Download this conversation (Markdown)", "Download this conversation (PDF)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus_index, tmp_path_factory: pytest.TempPathFactory):
    """The real app on 127.0.0.1, over the real corpus index: one server for the whole module."""
    root = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONESTOP_", "OPENAI_"))}
    env.update(
        ONESTOP_CORPUS_DIR=str(corpus_index.corpus_dir),
        ONESTOP_INDEX_DIR=str(corpus_index.index_dir),
        ONESTOP_FEEDBACK_DIR=str(root / "feedback"),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        LANGSMITH_TRACING="false",
        LANGCHAIN_TRACING_V2="false",
    )
    FEEDBACK_DIRS.append(root / "feedback")
    log_path = root / "streamlit.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "onestop.cli", "serve", "--port", str(port), "--address", "127.0.0.1"],  # as `make run`
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120  # the launcher loads the model and index before it listens
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not become healthy: " + log_path.read_text())
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (never a Playwright browser download), shared by the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Open a fresh browser context (its own Streamlit session) at a given screen size."""
    contexts = []

    def open_(viewport: dict):
        context = browser.new_context(viewport=viewport, reduced_motion="reduce")
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


# --- the three pages in the state under test -------------------------------------------------


def chat_box(page):
    return page.get_by_test_id("stChatInputTextArea")


def ask_and_wait_for_sources(page, server: str, question: str = QUESTION) -> None:
    """The Ask page with an answer and its numbered sources shown."""
    page.goto(server, wait_until="domcontentloaded")
    chat_box(page).wait_for(timeout=60_000)
    chat_box(page).fill(question)
    chat_box(page).press("Enter")
    wait_for_answer(page)


def wait_for_answer(page) -> None:
    page.get_by_text("Sources", exact=True).first.wait_for(timeout=90_000)
    page.locator(SOURCE_LINK).first.wait_for()
    wait_until_idle(page)


def wait_until_idle(page) -> None:
    """Wait until Streamlit has finished the rerun (no spinner, no 'running' status) and drawing."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stSpinner], [data-testid=stStatusWidgetRunningIcon], [data-stale=true]')",
        timeout=90_000,
    )
    page.wait_for_timeout(500)  # let the last delta render and any transition finish


def fetch_download(page, label: str) -> bytes:
    """The file a download button serves: click it (again after a rerun if need be) and fetch the URL it opened."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url) if "/media/" in request.url else None)
    # Chromium may start the download without a page request the listener sees: its download event names the URL too
    page.on("download", lambda download: requested.append(download.url) if "/media/" in download.url else None)
    for _attempt in range(3):
        wait_until_idle(page)
        page.get_by_role("button", name=label).click()
        deadline = time.time() + 45  # a loaded two-core machine can take this long to rerun and serve the file
        while time.time() < deadline and not requested:
            page.wait_for_timeout(200)
        if requested:
            break
    assert requested, f"the {label!r} button never fetched its file"
    response = page.context.request.get(requested[-1])
    assert response.ok, f"{requested[-1]} answered {response.status}"
    return response.body()


def open_checklist(page, server: str) -> None:
    """The Checklists page with a generated checklist (the default answers)."""
    page.goto(f"{server}/checklists", wait_until="domcontentloaded")
    page.get_by_role("button", name="Make my checklist").click(timeout=60_000)
    for label in CHECKLIST_DOWNLOADS:
        page.get_by_role("button", name=label).wait_for()
    wait_until_idle(page)


def open_calculators(page, server: str) -> None:
    page.goto(f"{server}/calculators", wait_until="domcontentloaded")
    page.get_by_text("You pay (estimate)").wait_for(timeout=60_000)
    wait_until_idle(page)


# --- checks ------------------------------------------------------------------------------------


def axe(page, options: dict):
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options={"resultTypes": ["violations"], **options})


def show_everything(page) -> dict:
    """Make the window tall enough to show the whole page at once; return the old size.

    axe-core checks colour contrast only on what is visible inside a scrolling area, and
    Streamlit's main area and sidebar are scrolling areas: in a normal-sized window most of the
    page would go unchecked.
    """
    before = dict(page.viewport_size)
    for _ in range(5):
        needed = page.evaluate(
            "() => Math.max(document.documentElement.scrollHeight,"
            " ...[...document.querySelectorAll('main, [data-testid=stSidebarContent]')].map(e => e.scrollHeight))"
        )
        if needed <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": before["width"], "height": needed + 100})
        page.wait_for_timeout(300)
    return before


def assert_no_axe_violations(page, where: str, must_pass: set[str]) -> None:
    """axe-core with every WCAG 2.0/2.1/2.2 A and AA rule, nothing excluded: zero violations.

    `must_pass` names rules that must have found something to check on this page and passed,
    so a page that failed to draw cannot pass by being empty.
    """
    size = show_everything(page)
    results = axe(page, {"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    page.set_viewport_size(size)
    assert results.violations_count == 0, f"axe on {where}:\n{results.generate_report()}"
    passed = {rule["id"] for rule in results.response["passes"]}
    assert must_pass <= passed, f"axe on {where} did not check {sorted(must_pass - passed)}"


def assert_headings_in_order(page, where: str) -> None:
    """One h1 at the top of the main content, and no heading level skipped below it."""
    levels = page.evaluate(
        "() => [...document.querySelectorAll('main :is(h1,h2,h3,h4,h5,h6)')]"
        ".filter(h => h.offsetParent !== null).map(h => [Number(h.tagName[1]), h.innerText.trim()])"
    )
    assert levels and levels[0][0] == 1, f"{where}: the main content does not start with an h1: {levels}"
    assert [level for level, _ in levels].count(1) == 1, f"{where}: more than one h1: {levels}"
    for (before, _), (level, text) in zip(levels, levels[1:]):
        assert level <= before + 1, f"{where}: heading '{text}' (h{level}) skips a level after h{before}: {levels}"
    assert all(text for _, text in levels), f"{where}: an empty heading: {levels}"


def assert_no_horizontal_scroll(page, where: str) -> None:
    """Nothing is wider than the screen: not the document, not Streamlit's scrolling main area,
    and no element of the page's content (which a parent's overflow: hidden would cut off)."""
    widths = page.evaluate(
        "() => { const main = document.querySelector('main');"
        " const beyond = [...main.querySelectorAll('*')].filter(e => { const r = e.getBoundingClientRect();"
        "   return r.width > 0 && r.height > 0 && r.right > window.innerWidth + 1; })"
        "   .map(e => `${e.tagName} ${e.dataset.testid || ''} ${(e.innerText || '').slice(0, 40)}`);"
        " return {document: document.documentElement.scrollWidth, screen: window.innerWidth,"
        " main: main.scrollWidth, mainVisible: main.clientWidth, beyond}; }"
    )
    assert widths["document"] <= widths["screen"], f"{where} scrolls sideways: {widths}"
    assert widths["main"] <= widths["mainVisible"], f"{where}: the main area scrolls sideways: {widths}"
    assert not widths["beyond"], f"{where}: content runs off the right of the screen: {widths}"


def assert_inside_screen(page, locator, what: str) -> None:
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None, f"{what} is not drawn"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{what} is cut off at the side: {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{what} is off screen: {box}"


def tab_to(page, description: str, matches: str, limit: int = 120) -> dict:
    """Press Tab (only the keyboard) until the focused element satisfies the JS predicate `matches(e)`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(
            f"() => {{ const e = document.activeElement; const matches = {matches};"
            " return matches(e) ? {tag: e.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').trim(),"
            " href: e.getAttribute('href')} : null; }"
        )
        if found:
            return found
    pytest.fail(f"{limit} presses of Tab never reached {description}")


def assert_focus_visible(page, what: str, ring_owner: str = "e => e") -> None:
    """The focused element clearly looks different from the same element unfocused (WCAG 2.4.7).

    Compares screenshots of the element (and a margin for an outside ring) focused and blurred:
    at least half its perimeter's worth of pixels must change by a clearly visible amount, so a
    faint background tint alone does not count. `ring_owner` picks the element whose box holds
    the focus indicator (for the chat box, its frame). The caret is hidden first so that a
    blinking caret cannot pass for a focus indicator.
    """
    from io import BytesIO

    from PIL import Image, ImageChops

    page.add_style_tag(content="* { caret-color: transparent !important; }")
    page.wait_for_timeout(200)
    box = page.evaluate(
        f"() => {{ const e = ({ring_owner})(document.activeElement); e.scrollIntoView({{block: 'center'}});"
        " const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )
    assert box["width"] > 0 and box["height"] > 0, f"{what} has no size"
    margin = 8  # room for an outline or a focus ring drawn outside the element
    clip = {
        "x": max(0, box["x"] - margin),
        "y": max(0, box["y"] - margin),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    page.wait_for_timeout(300)
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => { window.__focusedForTest = document.activeElement; document.activeElement.blur(); }")
    page.wait_for_timeout(300)
    unfocused = page.screenshot(clip=clip, animations="disabled")
    difference = ImageChops.difference(*(Image.open(BytesIO(shot)).convert("RGB") for shot in (focused, unfocused)))
    red, green, blue = difference.split()
    strongest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    changed = strongest.point(lambda value: 255 if value >= 40 else 0).histogram()[255]
    needed = box["width"] + box["height"]  # half the perimeter
    assert changed >= needed, f"{what} shows no clear focus indicator ({changed} pixels change visibly, want {needed:.0f})"
    # Put focus back where the keyboard left it, so that the next Tab carries on from there.
    page.evaluate("() => window.__focusedForTest.focus({preventScroll: true})")


# --- tests -------------------------------------------------------------------------------------


def test_question_in_a_real_browser_shows_a_cited_answer(server: str, open_page, tmp_path: Path) -> None:
    page = open_page({"width": 1200, "height": 1600})
    ask_and_wait_for_sources(page, server)
    link = page.locator(SOURCE_LINK).first
    assert link.get_attribute("href").startswith("https://")
    body = page.inner_text("body")
    assert "[1]" in body and "phased return" in body.lower()
    page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
    assert (tmp_path / "answer.png").stat().st_size > 10_000


def test_related_question_feedback_and_conversation_pdf_in_a_real_browser(server: str, browser, tmp_path: Path) -> None:
    from pypdf import PdfReader

    context = browser.new_context(viewport={"width": 1200, "height": 1600}, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    ask_and_wait_for_sources(page, server)
    feedback = FEEDBACK_DIRS[-1]
    assert not list(feedback.glob("*.jsonl"))  # nothing stored before a feedback button is pressed
    related = page.get_by_text("Related questions", exact=True)
    related.wait_for()
    button = page.locator("[data-testid=stButton] button").filter(has_text="?").last
    asked = button.inner_text().strip().splitlines()[-1].strip()  # the label, without the icon's name
    button.click()
    page.get_by_text(asked).first.wait_for()
    page.get_by_text("Sources", exact=True).nth(1).wait_for(timeout=90_000)  # the related question was answered
    wait_until_idle(page)
    page.get_by_role("button", name="Yes, it did").last.click()
    wait_until_idle(page)
    deadline = time.time() + 10
    while time.time() < deadline and not list(feedback.glob("*.jsonl")):
        time.sleep(0.2)
    records = [json.loads(line) for f in feedback.glob("*.jsonl") for line in f.read_text().splitlines()]
    assert len(records) == 1 and records[0]["helpful"] is True
    # The file the button serves (headless Chromium cancels the save itself, so read what it fetched).
    path = tmp_path / "conversation.pdf"
    path.write_bytes(fetch_download(page, "Download this conversation (PDF)"))
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    context.close()
    assert QUESTION.split()[0] in text and asked.split()[0] in text


def test_ask_page_with_an_answer_and_sources_has_no_axe_violations(server: str, open_page) -> None:
    page = open_page(DESKTOP)
    ask_and_wait_for_sources(page, server)
    assert_no_axe_violations(
        page, "the Ask page with an answer", {"color-contrast", "target-size", "label", "link-name", "button-name"}
    )
    assert_headings_in_order(page, "the Ask page")

    # The check is live in this browser: the greys Streamlit draws by default would fail it.
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'Low-contrast test text';"
        " p.style.color = '#828180'; p.style.background = '#ffffff'; p.style.fontSize = '14px';"
        " const input = document.createElement('input'); input.type = 'text';"
        " document.querySelector('main h1').closest('[data-testid=stElementContainer]').after(p, input); }"
    )
    show_everything(page)
    found = {rule["id"] for rule in axe(page, {"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response["violations"]}
    assert {"color-contrast", "label"} <= found


def test_checklists_page_with_a_checklist_has_no_axe_violations(server: str, open_page) -> None:
    page = open_page(DESKTOP)
    open_checklist(page, server)
    page.locator("[data-testid=stCheckbox]").nth(5).wait_for(
        timeout=60_000
    )  # the checklist itself is drawn (may follow its buttons)
    assert page.locator("[data-testid=stCheckbox]").count() > 5
    assert_no_axe_violations(
        page, "the Checklists page with a checklist", {"color-contrast", "target-size", "label", "link-name", "button-name"}
    )
    assert_headings_in_order(page, "the Checklists page")


def test_calculators_page_has_no_axe_violations(server: str, open_page) -> None:
    page = open_page(DESKTOP)
    open_calculators(page, server)
    assert_no_axe_violations(page, "the Calculators page", {"color-contrast", "target-size", "label", "link-name", "button-name"})
    assert_headings_in_order(page, "the Calculators page")


def test_keyboard_only_ask_then_reach_a_source_link_and_the_downloads(server: str, open_page) -> None:
    """Tab to the chat box, ask, tab to a source link and to the download buttons; focus always visible."""
    page = open_page(DESKTOP)
    page.goto(server, wait_until="domcontentloaded")
    chat_box(page).wait_for(timeout=60_000)
    wait_until_idle(page)

    tab_to(page, "the chat box", "e => e.dataset.testid === 'stChatInputTextArea'")
    assert_focus_visible(page, "the chat box", ring_owner="e => e.closest('[data-testid=stChatInput]')")
    page.keyboard.type("Who pays for Access to Work?")
    page.keyboard.press("Enter")
    wait_for_answer(page)

    link = tab_to(page, "a source's official link", "e => e.tagName === 'A' && e.innerText.startsWith('Official page')")
    assert link["href"].startswith("https://")
    assert_focus_visible(page, "the source link")
    for label in CONVERSATION_DOWNLOADS:
        tab_to(page, f"the '{label}' button", f"e => e.tagName === 'BUTTON' && e.innerText.includes({label!r})")
        assert_focus_visible(page, f"the '{label}' button")

    # The checklist from the keyboard alone: move to the form, make the checklist, reach its downloads.
    page.goto(f"{server}/checklists", wait_until="domcontentloaded")
    page.get_by_role("button", name="Make my checklist").wait_for(timeout=60_000)
    wait_until_idle(page)
    tab_to(page, "the 'Make my checklist' button", "e => e.tagName === 'BUTTON' && e.innerText.includes('Make my checklist')")
    assert_focus_visible(page, "the 'Make my checklist' button")
    page.keyboard.press("Enter")
    page.get_by_role("button", name=CHECKLIST_DOWNLOADS[0]).wait_for()
    wait_until_idle(page)
    for label in CHECKLIST_DOWNLOADS:
        tab_to(page, f"the '{label}' button", f"e => e.tagName === 'BUTTON' && e.innerText.includes({label!r})")
        assert_focus_visible(page, f"the '{label}' button")
    tab_to(page, "a tick box in the checklist", "e => e.type === 'checkbox'")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")


def test_phone_sized_ask_page_keeps_the_chat_box_in_view(server: str, open_page) -> None:
    page = open_page(PHONE)
    page.goto(server, wait_until="domcontentloaded")
    chat_box(page).wait_for(timeout=60_000)
    wait_until_idle(page)
    assert_no_horizontal_scroll(page, "the Ask page on a phone")
    assert_inside_screen(page, chat_box(page), "the chat box")

    chat_box(page).fill(QUESTION)
    chat_box(page).press("Enter")
    wait_for_answer(page)
    assert_no_horizontal_scroll(page, "the Ask page with an answer on a phone")
    assert_inside_screen(page, chat_box(page), "the chat box after an answer")
    page.locator(SOURCE_LINK).first.scroll_into_view_if_needed()
    assert_inside_screen(page, page.locator(SOURCE_LINK).first, "a source link")
    assert_inside_screen(page, chat_box(page), "the chat box while reading the sources")
    assert_no_axe_violations(page, "the Ask page with an answer on a phone", {"color-contrast", "target-size", "label"})


def test_phone_sized_checklist_form_is_usable(server: str, open_page) -> None:
    page = open_page(PHONE)
    page.goto(f"{server}/checklists", wait_until="domcontentloaded")
    page.get_by_role("button", name="Make my checklist").wait_for(timeout=60_000)
    wait_until_idle(page)
    assert_no_horizontal_scroll(page, "the Checklists page on a phone")

    page.get_by_text("Sickness absence and return to work", exact=True).click()
    page.get_by_label("How many weeks has the employee been off so far?").wait_for()
    wait_until_idle(page)
    weeks = page.get_by_label("How many weeks has the employee been off so far?")
    weeks.fill("6")
    fit_note = page.get_by_role("combobox", name="What does the latest fit note say?")
    fit_note.scroll_into_view_if_needed()
    assert_inside_screen(page, fit_note, "the fit note question")
    fit_note.click()
    page.get_by_role("option", name="May be fit for work").click()
    advice = page.get_by_role("combobox", name='If the fit note says "may be fit for work", what does it suggest?')
    advice.scroll_into_view_if_needed()
    assert_inside_screen(page, advice, "the fit note advice question")
    advice.click()
    page.get_by_role("option", name="Phased return to work").click()
    page.keyboard.press("Escape")
    has_oh = page.get_by_role("radiogroup", name="Do you have access to occupational health?")
    has_oh.scroll_into_view_if_needed()
    has_oh.get_by_text("Yes", exact=True).click()
    submit = page.get_by_role("button", name="Make my checklist")
    submit.scroll_into_view_if_needed()
    assert_inside_screen(page, submit, "the 'Make my checklist' button")
    assert_no_horizontal_scroll(page, "the filled checklist form on a phone")
    submit.click()

    page.get_by_role("heading", name="Sickness absence and return to work").wait_for()
    for label in CHECKLIST_DOWNLOADS:
        page.get_by_role("button", name=label).wait_for()
    wait_until_idle(page)
    text = page.inner_text("main").lower()
    assert "phased return" in text and "occupational health" in text
    assert_no_horizontal_scroll(page, "the Checklists page with a checklist on a phone")
    pdf = page.get_by_role("button", name=CHECKLIST_DOWNLOADS[2])
    pdf.scroll_into_view_if_needed()
    assert_inside_screen(page, pdf, "the PDF download button")
    assert_no_axe_violations(page, "the Checklists page with a checklist on a phone", {"color-contrast", "target-size", "label"})


def test_phone_sized_calculators_page_does_not_scroll_sideways(server: str, open_page) -> None:
    page = open_page(PHONE)
    open_calculators(page, server)
    assert_no_horizontal_scroll(page, "the Calculators page on a phone")
    earnings = page.get_by_label("Employee's average weekly earnings (£)")
    earnings.scroll_into_view_if_needed()
    assert_inside_screen(page, earnings, "the earnings box")
    assert_no_axe_violations(page, "the Calculators page on a phone", {"color-contrast", "target-size", "label"})

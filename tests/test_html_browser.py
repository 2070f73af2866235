"""The graph page in headless Chromium, opened from disk with every network request made to fail."""

from __future__ import annotations

import base64
import dataclasses
import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.export.browser import CHROMEDRIVER, CHROMIUM, have_chromium, offline_chromium
from kg.export.html import load_page_style, write_html
from kg.export.view import EdgeView, GraphView, NodeView, SourceRef

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"

if not have_chromium():  # CI installs both; this is for dev machines
    pytest.skip(
        f"browser tests need {CHROMIUM} and {CHROMEDRIVER}"
        " (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

KG = "https://kg.example/id/"
NIGER, US, US_FORCES, RUSSIA, INSTRUCTORS = (
    KG + "NER",
    KG + "USA",
    KG + "USA-forces",
    KG + "RUS",
    KG + "RUS-instructors",
)
WITHDRAWAL = KG + "edge/us-forces-withdrew-from-niger"
WITHDRAWN_SENTENCE = (
    "French troops, who had been fighting jihadists in the Sahel, have already been withdrawn "
    "from Niger, and US forces are due to follow."
)
PENTAGON_SENTENCE = (
    "The United States completed the withdrawal of its forces from Niger on Sunday, "
    "the Pentagon said."
)
PWN_LABEL = '"><img src=x onerror=window.__pwned=1>'
PWN_SENTENCE = "Officials said <script>window.__pwned=1</script> nothing more."


def _source(sentence: str, title: str, url: str, date: str, article: str) -> SourceRef:
    return SourceRef(sentence, title, url, date, article, rule="test-rule")


def niger_view() -> GraphView:
    """Five actors around Niger's 2024 break with the US and turn to Russia."""
    nodes = (
        NodeView(NIGER, "Niger", "State", "NER", "Q1032", ("Republic of Niger",)),
        NodeView(US, "United States", "State", "USA", "Q30", ("US", "USA")),
        NodeView(US_FORCES, "United States forces", "ArmedForce", "USA", None, ("US troops",)),
        NodeView(RUSSIA, "Russia", "State", "RUS", "Q159", ("Russian Federation",)),
        NodeView(INSTRUCTORS, "Russia military instructors", "MilitaryAdvisers", "RUS"),
    )
    edges = (
        EdgeView(
            WITHDRAWAL,
            US_FORCES,
            NIGER,
            "withdrewFrom",
            "withdrew from",
            "RETREAT",
            dates=("2024-09-15",),
            quantities=("more than 1,000 personnel",),
            sources=(
                _source(
                    WITHDRAWN_SENTENCE,
                    "Niger's junta turns to Moscow",
                    "https://news.example/niger-russia",
                    "2024-04-12",
                    "a1",
                ),
                _source(
                    PENTAGON_SENTENCE,
                    "US completes withdrawal from Niger",
                    "https://news.example/us-niger",
                    "2024-09-16",
                    "a2",
                ),
            ),
        ),
        EdgeView(
            KG + "edge/russia-instructors-niger",
            RUSSIA,
            NIGER,
            "sendsInstructorsTo",
            "sends instructors to",
            "AID",
            dates=("2024-04-10",),
            sources=(
                _source(
                    "Russian military instructors arrived in Niger on Wednesday with "
                    "an air defence system, state television reported.",
                    "Russian instructors arrive in Niger",
                    "https://news.example/instructors",
                    "2024-04-12",
                    "a3",
                ),
            ),
        ),
        EdgeView(
            KG + "edge/instructors-in-niger",
            INSTRUCTORS,
            NIGER,
            "presentIn",
            "present in",
            "PRESENCE",
            sources=(
                _source(
                    "About 100 Russian instructors are now based in Niamey.",
                    "Russian instructors arrive in Niger",
                    "https://news.example/instructors",
                    "2024-04-12",
                    "a3",
                ),
            ),
        ),
        EdgeView(
            KG + "edge/us-suspends-aid",
            US,
            NIGER,
            "suspendedAidTo",
            "suspended aid to",
            "SANCTION",
            dates=("2023-10-10",),
            sources=(
                _source(
                    "The United States suspended some aid to Niger after the coup.",
                    "US suspends aid",
                    "https://news.example/aid",
                    "2023-10-10",
                    "a4",
                ),
            ),
        ),
    )
    return GraphView(nodes, edges)


def xss_view() -> GraphView:
    """Article text that would run script if the page ever parsed it as HTML."""
    bad, good = KG + "pwn", KG + "NER"
    return GraphView(
        nodes=(
            NodeView(bad, PWN_LABEL, "ArmedGroup", aliases=("<svg onload=window.__pwned=1>",)),
            NodeView(good, "Niger", "State"),
        ),
        edges=(
            EdgeView(
                KG + "edge/pwn",
                bad,
                good,
                "attacked",
                "<b onmouseover=window.__pwned=1>attacked",
                "ASSAULT",
                dates=("<i>2024</i>",),
                quantities=("<img src=x onerror=alert(1)>",),
                sources=(
                    SourceRef(
                        PWN_SENTENCE,
                        "<img src=x onerror=window.__pwned=1>",
                        "javascript:window.__pwned=1",
                        "2024-01-01",
                        "x1",
                        "r",
                    ),
                    SourceRef(
                        "Second sentence.", None, " JavaScript:window.__pwned=1", None, "x2", "r"
                    ),
                    SourceRef(
                        "Third sentence.",
                        "data url",
                        "data:text/html,<script>1</script>",
                        None,
                        "x3",
                        "r",
                    ),
                ),
            ),
        ),
    )


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    drv = offline_chromium(tmp_path_factory.mktemp("chromium-profile"), browser_logs=True)
    try:
        yield drv
    finally:
        drv.quit()


def open_page(driver: webdriver.Chrome, view: GraphView, path: Path, title: str = "Niger") -> None:
    """Write the page, open it from disk and wait until the layout has settled."""
    write_html(view, path, title=title)
    driver.get_log("browser")  # drop messages from earlier pages
    driver.get(path.as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return window.kgReady === true"))


def severe_logs(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def panel_text(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.ID, "kg-panel").text)


def search(driver: webdriver.Chrome, text: str) -> None:
    box = driver.find_element(By.ID, "kg-search")
    box.clear()
    box.send_keys(text, Keys.ENTER)


def click_edge(driver: webdriver.Chrome, edge_id: str) -> None:
    """Click the middle of an edge's drawn curve, as a user would, once the view is still."""
    script = (
        "const e = kgNetwork.body.edges[arguments[0]];"
        "const p = kgNetwork.canvasToDOM(e.edgeType.getPoint(0.5));"
        "return [Math.round(p.x), Math.round(p.y)];"
    )
    seen: list[Any] = []

    def settled(d: webdriver.Chrome) -> Any:
        seen.append(d.execute_script(script, edge_id))
        return len(seen) > 1 and seen[-1] == seen[-2] and seen[-1]

    x, y = WebDriverWait(driver, 5, poll_frequency=0.15).until(settled)
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    size = canvas.size  # Selenium 4 offsets are from the element's centre
    ActionChains(driver).move_to_element_with_offset(
        canvas, round(x - size["width"] / 2), round(y - size["height"] / 2)
    ).click().perform()


def test_page_draws_every_node_and_requests_nothing(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    view = niger_view()
    open_page(driver, view, tmp_path / "graph.html")
    assert driver.execute_script("return kgNetwork.body.data.nodes.length") == len(view.nodes)
    assert driver.execute_script("return kgNetwork.body.data.edges.length") == len(view.edges)
    drawn = driver.execute_script("return Object.keys(kgNetwork.getPositions())")
    assert sorted(drawn) == sorted(n.id for n in view.nodes)
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    legend = driver.find_element(By.ID, "kg-legend").text
    for word in ("State", "ArmedForce", "MilitaryAdvisers", "RETREAT", "AID", "PRESENCE"):
        assert word in legend
    assert severe_logs(driver) == []


def selected_nodes(driver: webdriver.Chrome) -> set[str]:
    return set(driver.execute_script("return kgNetwork.getSelectedNodes()"))


def shown(driver: webdriver.Chrome) -> tuple[int, int]:
    """How many nodes and edges the filters let through to the network."""
    return tuple(
        driver.execute_script(
            "return [kgNetwork.body.data.nodes.length, kgNetwork.body.data.edges.length]"
        )
    )


def test_search_by_label_and_alias_selects_its_neighbourhood(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    search(driver, "Niger")
    assert selected_nodes(driver) == {NIGER, US, US_FORCES, RUSSIA, INSTRUCTORS}
    assert len(driver.execute_script("return kgNetwork.getSelectedEdges()")) == 4
    assert "Republic of Niger" in panel_text(driver)
    search(driver, "us troops")  # an alias, any case: the node and its one neighbour
    assert selected_nodes(driver) == {US_FORCES, NIGER}
    assert driver.execute_script("return kgNetwork.getSelectedEdges()") == [WITHDRAWAL]
    assert "United States forces" in panel_text(driver)
    search(driver, "Atlantis")
    assert driver.find_element(By.ID, "kg-search-status").text == "No match"
    assert severe_logs(driver) == []


def test_clicking_an_edge_shows_every_source(driver: webdriver.Chrome, tmp_path: Path) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    click_edge(driver, WITHDRAWAL)
    assert driver.execute_script("return kgNetwork.getSelectedEdges()") == [WITHDRAWAL]
    text = panel_text(driver)
    for expected in (
        WITHDRAWN_SENTENCE,
        PENTAGON_SENTENCE,
        "withdrew from",
        "RETREAT",
        "2024-09-15",
        "more than 1,000 personnel",
        "Niger's junta turns to Moscow",
        "US completes withdrawal from Niger",
        "Sources: 2 articles, 2 sentences",
    ):
        assert expected in text
    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#kg-panel a")]
    assert hrefs == ["https://news.example/us-niger", "https://news.example/niger-russia"]
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "graph.png"))
    assert severe_logs(driver) == []


def test_legend_entry_hides_and_shows_its_type(driver: webdriver.Chrome, tmp_path: Path) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    entry = driver.find_element(
        By.XPATH, "//button[contains(@class,'kg-legend-item')][.//span[text()='State']]"
    )
    hidden = "return kgNetwork.body.data.nodes.get(arguments[0]) === null"
    entry.click()
    assert driver.execute_script(hidden, NIGER)
    assert entry.get_attribute("aria-pressed") == "false"
    entry.click()
    assert not driver.execute_script(hidden, NIGER)


def test_article_text_never_runs_as_code(driver: webdriver.Chrome, tmp_path: Path) -> None:
    view = xss_view()
    open_page(driver, view, tmp_path / "xss.html", title="<img src=x onerror=window.__pwned=1>")
    search(driver, "img src")
    bad_id = view.nodes[0].id
    assert driver.execute_script("return kgNetwork.getSelectedNodes()")[0] == bad_id
    assert PWN_LABEL in panel_text(driver)
    driver.find_element(By.ID, "kg-fit").click()
    click_edge(driver, view.edges[0].id)
    text = panel_text(driver)
    assert PWN_SENTENCE in text
    assert "javascript:window.__pwned=1" in text  # shown, as text
    for button in driver.find_elements(By.CSS_SELECTOR, ".kg-legend-item"):
        button.click()
    driver.find_element(By.ID, "kg-reset").click()
    driver.find_element(By.ID, "kg-timeline-toggle").click()
    assert PWN_LABEL in driver.find_element(By.ID, "kg-views").text  # dated by its article
    driver.find_element(By.ID, "kg-table-toggle").click()
    assert PWN_LABEL in driver.find_element(By.ID, "kg-views").text
    driver.find_element(By.CSS_SELECTOR, "#kg-views tbody tr").click()
    driver.find_element(By.ID, "kg-table-csv").click()
    assert driver.execute_script("return kgViews.lastCsv").count("\r\n") == 2
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"
    )
    assert links == []  # none of the three urls is http(s)
    assert driver.execute_script("return document.querySelectorAll('img, svg script').length") == 0
    assert driver.title == "<img src=x onerror=window.__pwned=1>"
    assert severe_logs(driver) == [], json.dumps(severe_logs(driver))


def test_large_graph_is_drawn_at_fixed_positions(driver: webdriver.Chrome, tmp_path: Path) -> None:
    nodes = tuple(NodeView(f"{KG}n{i:03}", f"Place {i}", "City") for i in range(320))
    edges = tuple(
        EdgeView(
            f"{KG}e{i:03}", nodes[i].id, nodes[(i * 7 + 1) % 320].id, "near", "near", "PRESENCE"
        )
        for i in range(320)
    )
    open_page(driver, GraphView(nodes, edges), tmp_path / "big.html")
    assert shown(driver)[0] < 10  # it opens on the ego network of the most connected node
    assert driver.execute_script("return kgNetwork.physics.physicsEnabled") is False
    search(driver, "Place 299")  # a node out of view is opened with its neighbours
    assert driver.execute_script("return kgNetwork.getSelectedNodes()")[0] == f"{KG}n299"
    assert shown(driver)[0] < 60  # it and its closest neighbours, not the whole graph
    driver.find_element(By.ID, "kg-show-all").click()
    assert shown(driver)[0] == 320
    assert driver.execute_script("return kgFilters.labelsHidden()") is True
    assert severe_logs(driver) == []


def test_filters_by_node_type_event_type_and_country(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    assert shown(driver) == (5, 4)
    driver.execute_script("kgFilters.toggleNodeType('ArmedForce')")
    assert shown(driver) == (4, 3)  # US forces and their one relation
    assert driver.execute_script("return kgFilters.nodes.get(arguments[0])", US_FORCES) is None
    driver.execute_script("kgFilters.toggleEventType('AID')")
    assert shown(driver) == (3, 2)  # Russia goes with its only relation
    assert (
        "Showing 3 of 5 entities, 2 of 4 relations" in driver.find_element(By.ID, "kg-legend").text
    )
    driver.find_element(By.ID, "kg-reset").click()
    assert shown(driver) == (5, 4)
    # countries: a relation shows while either end's country does
    country = driver.find_element(
        By.XPATH, "//button[contains(@class,'kg-legend-item')][.//span[text()='NER']]"
    )
    country.click()
    assert shown(driver) == (5, 4)
    driver.execute_script("kgFilters.toggleCountry('USA')")
    assert shown(driver) == (3, 2)
    assert country.get_attribute("aria-pressed") == "false"
    # search reveals what the filters hide
    search(driver, "United States forces")
    assert driver.find_element(By.ID, "kg-search-status").text == "Filters cleared to show it"
    assert shown(driver) == (5, 4)
    assert severe_logs(driver) == []


def set_slider(driver: webdriver.Chrome, element_id: str, iso_day: str) -> None:
    driver.execute_script(
        "const input = document.getElementById(arguments[0]);"
        "input.value = String(Date.parse(arguments[1]) / 86400000);"
        "input.dispatchEvent(new Event('input'));",
        element_id,
        iso_day,
    )


def test_date_slider_hides_edges_outside_the_range(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    legend = driver.find_element(By.ID, "kg-legend")
    assert "2023-10-10 \u2013 2024-09-15" in legend.text
    set_slider(driver, "kg-date-from", "2024-01-01")
    WebDriverWait(driver, 2).until(lambda d: shown(d) == (4, 3))  # suspended aid (2023) goes
    set_slider(driver, "kg-date-to", "2024-05-01")
    WebDriverWait(driver, 2).until(lambda d: shown(d) == (3, 2))  # so does the withdrawal
    edges = driver.execute_script("return kgFilters.edges.getIds()")
    assert WITHDRAWAL not in edges and KG + "edge/instructors-in-niger" in edges  # undated stays
    driver.find_element(By.ID, "kg-undated").click()
    assert shown(driver) == (2, 1)
    assert "2024-01-01 \u2013 2024-05-01" in legend.text
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "graph-filtered.png"))
    assert severe_logs(driver) == []


def test_save_png_downloads_the_canvas(driver: webdriver.Chrome, tmp_path: Path) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    driver.find_element(By.ID, "kg-png").click()
    url = driver.execute_script("return window.kgLastPng")
    assert url.startswith("data:image/png;base64,") and len(url) > 5000
    assert severe_logs(driver) == []


def test_edge_labels_show_only_around_the_selection_when_dense(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    hub = NodeView(KG + "hub", "Hub", "State", "NER")
    spokes = tuple(
        NodeView(f"{KG}s{i:02}", f"Spoke {i}", "Person" if i < 10 else "City", "MLI")
        for i in range(70)
    )
    edges = tuple(
        EdgeView(f"{KG}e{i:02}", s.id, hub.id, "near", "near", "PRESENCE", dates=("2024",))
        for i, s in enumerate(spokes)
    )
    open_page(driver, GraphView((hub, *spokes), edges), tmp_path / "dense.html")
    label_size = "return kgNetwork.body.edges[arguments[0]].labelModule.fontOptions.size"
    assert driver.execute_script("return kgFilters.labelsHidden()") is True
    assert driver.execute_script(label_size, f"{KG}e05") == 0
    search(driver, "Spoke 5")
    assert driver.execute_script(label_size, f"{KG}e05") == 11
    assert driver.execute_script(label_size, f"{KG}e06") == 0
    driver.find_element(By.ID, "kg-fit").click()
    click_edge(driver, f"{KG}e07")
    assert driver.execute_script(label_size, f"{KG}e07") == 11
    assert driver.execute_script(label_size, f"{KG}e05") == 0
    # fewer relations shown after filtering: every label comes back
    driver.execute_script("kgFilters.toggleNodeType('City')")
    assert shown(driver) == (11, 10)
    assert driver.execute_script("return kgFilters.labelsHidden()") is False
    assert driver.execute_script(label_size, f"{KG}e05") == 11
    assert driver.execute_script(label_size, f"{KG}e06") == 11
    driver.execute_script("kgFilters.reset()")
    assert driver.execute_script("return kgFilters.labelsHidden()") is True
    assert severe_logs(driver) == []


def open_stored_page(driver: webdriver.Chrome, store_path: Path, page: Path) -> GraphView:
    """The page of an ingested store, opened; its graph view."""
    from kg.export.graph_view import graph_view
    from kg.rdf.store import open_store

    with open_store(str(store_path), must_exist=True) as store:
        view = graph_view(store)
    open_page(driver, view, page, title="Seed")
    return view


def test_seed_article_page_search_and_withdrawal_edge(
    driver: webdriver.Chrome, tmp_path: Path, ingested_store: Path
) -> None:
    """The issue's own scenario on real data: the page of the ingested seed article."""
    view = open_stored_page(driver, ingested_store, tmp_path / "seed.html")
    assert driver.execute_script("return kgNetwork.body.data.nodes.length") == len(view.nodes)
    niger = next(n.id for n in view.nodes if n.label == "Niger")
    search(driver, "Niger")
    assert niger in selected_nodes(driver)
    withdrawal = next(e for e in view.edges  # the US forces' withdrawal from Niger
                      if e.relation == "withdrewFrom" and e.source.endswith("/usa/military")
                      and e.target.endswith("/state/NER"))
    ends = sorted((withdrawal.source, withdrawal.target))
    bundle = f"kg-bundle {ends[0]} {ends[1]}"  # the forces' other relations with Niger
    driver.execute_script("kgNetwork.unselectAll(); kgNetwork.fit({animation: false});")
    if bundle in driver.execute_script("return kgFilters.shownEdges()"):
        click_edge(driver, bundle)
        assert "withdrew from" in panel_text(driver)
        driver.find_element(By.CSS_SELECTOR, "#kg-panel .kg-expand").click()
    click_edge(driver, withdrawal.id)
    text = panel_text(driver)
    assert "withdrew from" in text
    assert any(s.sentence in text for s in withdrawal.sources)
    assert "more than 1,000" in text
    assert severe_logs(driver) == []


# --- Timeline, Table and provenance ---------------------------------------------------------------

UNDATED = KG + "edge/us-agreed-with-niger"


def niger_view_with_undated() -> GraphView:
    """niger_view and one relation from an undated article with no date of its own."""
    view = niger_view()
    undated = EdgeView(
        UNDATED,
        US,
        NIGER,
        "agreedWith",
        "agreed with",
        "AGREE",
        sources=(SourceRef("The US and Niger reached an agreement.", None, None, None, "a5", "r"),),
    )
    return GraphView(view.nodes, (*view.edges, undated))


def open_view(driver: webdriver.Chrome, name: str) -> str:
    driver.find_element(By.ID, f"kg-{name}-toggle").click()
    return str(driver.find_element(By.ID, "kg-views").text)


def set_as_of(driver: webdriver.Chrome, iso_day: str) -> None:
    driver.execute_script(
        "const input = document.getElementById('kg-asof');"
        "input.value = arguments[0]; input.dispatchEvent(new Event('change'));",
        iso_day,
    )


def table_column(driver: webdriver.Chrome, index: int) -> list[str]:
    return [
        td.text
        for td in driver.find_elements(By.CSS_SELECTOR, f"#kg-views tbody td:nth-child({index})")
    ]


def test_timeline_shows_years_presence_events_and_undated_apart(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view_with_undated(), tmp_path / "graph.html")
    text = open_view(driver, "timeline")
    years = [y.text for y in driver.find_elements(By.CSS_SELECTOR, "#kg-views .kg-year")]
    assert years == ["2023", "2024"]
    intervals = [r.text for r in driver.find_elements(By.CSS_SELECTOR, ".kg-tl-interval .kg-tl-label")]
    assert "United States forces in Niger \u00b7 ended" in intervals
    assert "Russia forces in Niger \u00b7 began" in intervals
    events = [r.text for r in driver.find_elements(By.CSS_SELECTOR, ".kg-tl-edge .kg-tl-label")]
    assert len(events) == 4 and "agreed with" not in " ".join(events)
    assert events[0] == "United States suspended aid to Niger"  # oldest first
    assert "Undated (1)" in text
    undated = driver.find_element(By.CSS_SELECTOR, ".kg-undated").text
    assert "United States agreed with Niger" in undated
    # an interval row selects the relation that decided it: the withdrawal
    driver.find_element(By.XPATH, "//button[contains(., 'United States forces in Niger')]").click()
    assert driver.execute_script("return kgNetwork.getSelectedEdges()") == [WITHDRAWAL]
    # narrowed to the selected entity
    search(driver, "Russia")
    Select(driver.find_element(By.ID, "kg-timeline-scope")).select_by_visible_text(
        "Selected entity"
    )
    events = [r.text for r in driver.find_elements(By.CSS_SELECTOR, ".kg-tl-edge .kg-tl-label")]
    assert events == ["Russia sends instructors to Niger"]
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "graph-timeline.png"))
    assert severe_logs(driver) == []


def relations_shown(driver: webdriver.Chrome) -> tuple[int, int]:
    """How many nodes the network draws and how many relations the filters let through (drawn
    alone or inside a bundle of parallel relations)."""
    nodes = driver.execute_script("return kgNetwork.body.data.nodes.length")
    relations = driver.execute_script(
        "return kgPage.data.info.edges.filter(function (e) { return kgPage.isShown(e.id); }).length")
    return nodes, relations


def test_as_of_date_shows_the_graph_as_it_stood_then(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view_with_undated(), tmp_path / "graph.html")
    open_view(driver, "timeline")
    assert relations_shown(driver) == (5, 5)
    set_as_of(driver, "2024-05-01")
    assert relations_shown(driver) == (4, 4)  # the withdrawal (September) goes; the undated stays
    assert driver.execute_script(
        "return [kgPage.isShown(arguments[0]), kgPage.isShown(arguments[1])]",
        WITHDRAWAL, UNDATED) == [False, True]
    text = driver.find_element(By.ID, "kg-views").text
    assert "as of 2024-05-01: 1 later relation hidden" in text
    assert "United States forces in Niger \u00b7 not yet reported" in text
    set_as_of(driver, "2023-12-31")
    assert relations_shown(driver) == (2, 2)  # the suspended aid (2023) and the undated agreement
    driver.find_element(By.XPATH, "//button[text()='Clear date']").click()
    assert relations_shown(driver) == (5, 5)
    assert severe_logs(driver) == []


def test_table_sorts_filters_selects_and_downloads_its_rows(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view_with_undated(), tmp_path / "graph.html")
    text = open_view(driver, "table")
    assert "5 of 5 relations" in text
    assert table_column(driver, 4) == ["2023-10-10", "2024-04-10", "2024-04-12", "2024-09-15", ""]
    sort_by = "//th[.//button[text()=$name]]//button".replace("$name", "'Source'")
    driver.find_element(By.XPATH, sort_by).click()
    assert table_column(driver, 2) == sorted(table_column(driver, 2))
    assert table_column(driver, 2)[0] == "Russia"
    driver.find_element(By.XPATH, sort_by).click()
    assert table_column(driver, 2)[0] == "United States forces"
    assert driver.find_element(By.XPATH, "//th[@aria-sort='descending']").text.startswith("Source")
    # the filter matches any cell; the rows follow the graph's filters too
    driver.find_element(By.ID, "kg-table-filter").send_keys("russia")
    assert table_column(driver, 1) == ["present in", "sends instructors to"]
    driver.execute_script("kgFilters.toggleEventType('AID')")
    assert table_column(driver, 1) == ["present in"]
    driver.execute_script("kgFilters.reset()")
    # a row selects its edge in the graph and shows it in the panel
    row = driver.find_element(By.XPATH, "//tbody/tr[td[text()='sends instructors to']]")
    row.click()
    edge = KG + "edge/russia-instructors-niger"
    assert driver.execute_script("return kgNetwork.getSelectedEdges()") == [edge]
    assert "sends instructors to" in panel_text(driver)
    assert "kg-selected" in driver.find_element(
        By.XPATH, "//tbody/tr[td[text()='sends instructors to']]"
    ).get_attribute("class")
    # CSV of the rows shown
    driver.find_element(By.ID, "kg-table-csv").click()
    csv = driver.execute_script("return kgViews.lastCsv")
    assert csv.split("\r\n") == [
        "Relation,Source,Target,First,Last,Sources,Quantity,Status",
        "present in,Russia military instructors,Niger,2024-04-12,2024-04-12,1,,",
        "sends instructors to,Russia,Niger,2024-04-10,2024-04-10,1,,",
        "",
    ]
    assert severe_logs(driver) == []


def test_provenance_lists_each_article_once_newest_first(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    view = niger_view()
    first = view.edges[0]
    repeated = SourceRef(PENTAGON_SENTENCE, "US completes withdrawal from Niger",
                         "https://news.example/us-niger", "2024-09-16", "a2", rule="other-rule")
    edges = (EdgeView(**{**first.__dict__, "sources": (*first.sources, repeated)}), *view.edges[1:])
    open_page(driver, GraphView(view.nodes, edges), tmp_path / "graph.html")
    driver.execute_script("kgPage.selectEdge(arguments[0])", WITHDRAWAL)
    articles = driver.find_elements(By.CSS_SELECTOR, "#kg-panel .kg-source-article")
    assert [a.find_element(By.CSS_SELECTOR, ".kg-meta").text for a in articles] == [
        "US completes withdrawal from Niger \u00b7 2024-09-16",
        "Niger's junta turns to Moscow \u00b7 2024-04-12",
    ]
    assert panel_text(driver).count(PENTAGON_SENTENCE) == 1  # two rules, one sentence
    assert "Sources: 2 articles, 2 sentences" in panel_text(driver)
    rules = articles[0].find_element(By.CSS_SELECTOR, "details.kg-rules")
    assert rules.get_attribute("open") is None
    assert "other-rule" not in panel_text(driver)  # folded away until asked for
    rules.find_element(By.TAG_NAME, "summary").click()
    assert "other-rule, test-rule" in rules.text
    assert severe_logs(driver) == []


DATED_ARTICLE = """---
title: US completes withdrawal of its forces from Niger
date: 2024-08-05
url: https://news.example/us-niger-complete
---

US completes withdrawal of its forces from Niger

The United States completed the withdrawal of its troops from Niger on Monday, the Pentagon said.

Russian military instructors remain in Niger.
"""


@pytest.fixture(scope="module")
def seed_and_dated_store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """The undated seed article and a dated report that the US withdrawal was completed."""
    from kg import api

    root = tmp_path_factory.mktemp("seed-dated")
    dated = root / "us-niger-complete.md"
    dated.write_text(DATED_ARTICLE, encoding="utf-8")
    report = api.ingest([str(seed_path), str(dated)], str(root / "store"))
    assert report.articles == 2 and not report.errors, report.errors
    return root / "store"


def test_seed_page_says_whose_forces_are_in_niger_which_left_and_on_what_evidence(
    driver: webdriver.Chrome, tmp_path: Path, seed_and_dated_store: Path
) -> None:
    view = open_stored_page(driver, seed_and_dated_store, tmp_path / "seed.html")
    text = open_view(driver, "timeline")
    assert "2024" in [y.text for y in driver.find_elements(By.CSS_SELECTOR, ".kg-year")]
    intervals = [r.text for r in driver.find_elements(By.CSS_SELECTOR, ".kg-tl-interval .kg-tl-label")]
    # whose forces are in Niger, and which left
    assert "Russia forces in Niger \u00b7 began" in intervals
    assert "United States forces in Niger \u00b7 ended" in intervals
    assert "France forces in Niger \u00b7 ended" in intervals
    notes = [r.text for r in driver.find_elements(By.CSS_SELECTOR, ".kg-tl-interval .kg-tl-note")]
    assert notes[intervals.index("United States forces in Niger \u00b7 ended")] == (
        "from 2024-08-05 \u00b7 ended 2024-08-05"
    )
    assert notes[intervals.index("France forces in Niger \u00b7 ended")] == "undated"
    # the seed has no date: its facts are counted and listed apart
    undated = driver.find_element(By.CSS_SELECTOR, ".kg-undated").text
    assert "France forces withdrew from Niger" in undated
    assert f"Undated ({undated.count(chr(10))})" in text
    # on what evidence: the interval selects the withdrawal, its reports newest first
    driver.find_element(By.XPATH, "//button[contains(., 'United States forces in Niger')]").click()
    withdrawal = next(e for e in view.edges if e.relation == "withdrewFrom"
                      and e.source.endswith("/usa/military") and e.target.endswith("/state/NER"))
    assert driver.execute_script("return kgNetwork.getSelectedEdges()") == [withdrawal.id]
    articles = driver.find_elements(By.CSS_SELECTOR, "#kg-panel .kg-source-article")
    assert len(articles) == 2
    assert articles[0].text.startswith("US completes withdrawal of its forces from Niger \u00b7 2024-08-05")
    assert "the Pentagon said" in articles[0].text
    assert "undated" in articles[1].find_element(By.CSS_SELECTOR, ".kg-meta").text
    # the table: the withdrawals from Niger, with their dates and sources, as CSV
    open_view(driver, "table")
    driver.find_element(By.ID, "kg-table-filter").send_keys("withdrew from")
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#kg-views tbody tr")]
    assert any(r.startswith("withdrew from United States forces Niger 2024-08-05") for r in rows)
    assert any(r.startswith("withdrew from France forces Niger") for r in rows)
    driver.find_element(By.ID, "kg-table-csv").click()
    csv = driver.execute_script("return kgViews.lastCsv")
    assert "withdrew from,United States forces,Niger,2024-08-05,2024-08-05,2," in csv
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "seed-table.png"))


EXPELLED = KG + "edge/niger-expelled-us-forces"
PRESENT = KG + "edge/us-forces-in-niger"
BUNDLE = f"kg-bundle {NIGER} {US_FORCES}"


def parallel_view() -> GraphView:
    """niger_view with three relations between the US forces and Niger, one of them backwards."""
    base = niger_view()
    more = (
        EdgeView(
            PRESENT, US_FORCES, NIGER, "presentIn", "present in", "PRESENCE",
            sources=(_source("About 1,000 US troops are based in Niger.", "US troops",
                             "https://news.example/troops", "2023-08-01", "a5"),),
        ),
        EdgeView(
            EXPELLED, NIGER, US_FORCES, "expelled", "expelled", "COERCE", dates=("2024-03-16",),
            sources=(_source("Niger's junta ordered US forces to leave.", "Niger ends accord",
                             "https://news.example/accord", "2024-03-17", "a6"),),
        ),
    )
    return GraphView(base.nodes, base.edges + more)


def shown_ids(driver: webdriver.Chrome) -> tuple[set[str], set[str]]:
    nodes, edges = driver.execute_script("return [kgFilters.shownNodes(), kgFilters.shownEdges()]")
    return set(nodes), set(edges)


def midpoints(driver: webdriver.Chrome, ids: list[str]) -> list[tuple[float, float]]:
    script = (
        "return arguments[0].map(function (id) {"
        " var p = kgNetwork.body.edges[id].edgeType.getPoint(0.5); return [p.x, p.y]; });"
    )
    return [tuple(p) for p in driver.execute_script(script, ids)]


def assert_apart(points: list[tuple[float, float]], gap: float = 12) -> None:
    for i, (x1, y1) in enumerate(points):
        for x2, y2 in points[i + 1:]:
            assert abs(x1 - x2) + abs(y1 - y2) > gap, points


def test_parallel_relations_show_as_one_bundle_until_expanded(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, parallel_view(), tmp_path / "graph.html")
    _, edges = shown_ids(driver)
    assert BUNDLE in edges and not {WITHDRAWAL, PRESENT, EXPELLED} & edges
    click_edge(driver, BUNDLE)
    text = panel_text(driver)
    assert "RELATIONS (3)" in text.upper() and "expelled" in text and "present in" in text
    driver.find_element(By.CSS_SELECTOR, "#kg-panel .kg-expand").click()
    _, edges = shown_ids(driver)
    assert {WITHDRAWAL, PRESENT, EXPELLED} <= edges and BUNDLE not in edges
    for edge in (WITHDRAWAL, PRESENT, EXPELLED):  # clicks reach each of the three
        click_edge(driver, edge)
        assert edgeInfo_label(driver, edge) in panel_text(driver)
    assert severe_logs(driver) == []


def edgeInfo_label(driver: webdriver.Chrome, edge_id: str) -> str:
    return str(driver.execute_script("return kgNetwork.body.data.edges.get(arguments[0]).label",
                                     edge_id))


def test_parallel_edges_keep_their_curves_after_filters_legend_and_reset(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, parallel_view(), tmp_path / "graph.html")
    driver.execute_script("kgFilters.expandBundle(arguments[0])", BUNDLE)
    members = [WITHDRAWAL, PRESENT, EXPELLED]
    assert_apart(midpoints(driver, members))
    driver.execute_script("kgFilters.toggleEventType('SANCTION')")
    assert_apart(midpoints(driver, members))
    driver.execute_script("kgFilters.toggleNodeType('ArmedForce')")  # hides all three
    driver.find_element(By.ID, "kg-reset").click()
    assert_apart(midpoints(driver, members))
    driver.execute_script("kgFilters.toggleEventType('AID'); kgFilters.toggleEventType('AID')")
    assert_apart(midpoints(driver, members))
    assert severe_logs(driver) == []


def test_large_graph_opens_on_the_ego_network_and_expands_on_demand(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    small = dataclasses.replace(load_page_style(), ego_min_nodes=3)  # as if 5 nodes were many
    path = tmp_path / "graph.html"
    write_html(niger_view(), path, title="Niger", style=small, focus="Russia")
    driver.get(path.as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return window.kgReady === true"))
    nodes, _ = shown_ids(driver)
    assert nodes == {RUSSIA, NIGER}
    assert driver.find_element(By.ID, "kg-ego-note").is_displayed()
    assert driver.execute_script("return kgNetwork.getScale()") >= 0.7  # labels readable
    # double-click Niger: its neighbours come in
    at = driver.execute_script(
        "var p = kgNetwork.getPositions([arguments[0]])[arguments[0]];"
        "p = kgNetwork.canvasToDOM(p); return [Math.round(p.x), Math.round(p.y)];", NIGER)
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    ActionChains(driver).move_to_element_with_offset(
        canvas, round(at[0] - canvas.size["width"] / 2), round(at[1] - canvas.size["height"] / 2)
    ).double_click().perform()
    WebDriverWait(driver, 5).until(lambda d: len(shown_ids(d)[0]) == 5)
    assert "NIGER" in panel_text(driver).upper()
    assert not driver.find_element(By.ID, "kg-ego-note").is_displayed()
    # the focus defaults to the entity with most neighbours; search opens what it finds
    write_html(niger_view(), path, title="Niger", style=small)
    driver.get(path.as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return window.kgReady === true"))
    assert shown_ids(driver)[0] == {NIGER, US, US_FORCES, RUSSIA, INSTRUCTORS}  # Niger's neighbours
    assert not driver.find_element(By.ID, "kg-ego-note").is_displayed()
    assert severe_logs(driver) == []


def test_panel_marks_an_item_the_filters_hide(driver: webdriver.Chrome, tmp_path: Path) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    click_edge(driver, WITHDRAWAL)
    assert not driver.find_elements(By.ID, "kg-hidden-note")
    driver.execute_script("kgFilters.toggleEventType('RETREAT')")
    note = driver.find_element(By.ID, "kg-hidden-note")
    assert "Hidden by the filters" in note.text and "withdrew from" in panel_text(driver)
    driver.execute_script("kgFilters.toggleEventType('RETREAT')")
    assert not driver.find_elements(By.ID, "kg-hidden-note")


def test_page_fits_a_phone_screen(driver: webdriver.Chrome, tmp_path: Path) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        open_page(driver, niger_view(), tmp_path / "graph.html")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390
        for button in ("kg-png", "kg-fit", "kg-search-go"):
            box = driver.execute_script(
                "return document.getElementById(arguments[0]).getBoundingClientRect().toJSON()",
                button,
            )
            assert 0 <= box["left"] and box["right"] <= 390, (button, box)
        driver.save_screenshot(str(ARTIFACTS / "graph-phone.png"))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_save_png_includes_the_legend_and_the_filters_in_force(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    driver.execute_script("kgFilters.toggleEventType('SANCTION')")
    driver.find_element(By.ID, "kg-png").click()
    key = driver.execute_script("return window.kgLastPngKey")
    assert "State" in key and "RETREAT" in key and "SANCTION" not in key[:-3]
    assert any(line.startswith("Hidden: SANCTION") for line in key)
    assert any(line.startswith("Showing") for line in key)
    canvas_width = driver.execute_script(
        "return document.querySelector('#kg-network canvas').width")
    png = base64.b64decode(driver.execute_script("return window.kgLastPng").split(",", 1)[1])
    assert struct.unpack(">I", png[16:20])[0] > canvas_width  # the key is beside the graph
    assert severe_logs(driver) == []


def test_a_states_forces_can_be_grouped_under_it(driver: webdriver.Chrome, tmp_path: Path) -> None:
    open_page(driver, niger_view(), tmp_path / "graph.html")
    driver.find_element(By.ID, "kg-group").click()
    group = f"kg-group {US}"
    assert driver.execute_script("return kgNetwork.isCluster(arguments[0])", group)
    # Russia's instructors join it; Niger has no government, forces or people here
    assert driver.execute_script("return kgNetwork.isCluster(arguments[0])", f"kg-group {RUSSIA}")
    assert not driver.execute_script("return !!kgNetwork.body.nodes[arguments[0]]", f"kg-group {NIGER}")
    # the group holds the United States and its forces, and stays through filters
    inside = driver.execute_script("return kgNetwork.getNodesInCluster(arguments[0])", group)
    assert set(inside) == {US, US_FORCES}
    driver.execute_script("kgFilters.toggleEventType('AID'); kgFilters.toggleEventType('AID')")
    assert driver.execute_script("return kgNetwork.isCluster(arguments[0])", group)
    # picking one of its relations opens the group, so the relation can be drawn and selected
    search(driver, "US troops")
    assert not driver.execute_script("return !!kgNetwork.body.nodes[arguments[0]]", group)
    assert US_FORCES in selected_nodes(driver)
    driver.find_element(By.ID, "kg-group").click()  # off: every node on its own
    assert severe_logs(driver) == []

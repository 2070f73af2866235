"""The graph page in headless Chromium, opened from disk with every network request made to fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.export.browser import CHROMEDRIVER, CHROMIUM, have_chromium, offline_chromium
from kg.export.html import write_html
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
    assert driver.execute_script("return kgNetwork.body.data.nodes.length") == 320
    assert driver.execute_script("return kgNetwork.physics.physicsEnabled") is False
    search(driver, "Place 299")
    assert driver.execute_script("return kgNetwork.getSelectedNodes()")[0] == f"{KG}n299"
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


def test_seed_article_page_search_and_withdrawal_edge(
    driver: webdriver.Chrome, tmp_path: Path, ingested_store: Path
) -> None:
    """The issue's own scenario on real data: the page of the ingested seed article."""
    from kg.export.graph_view import graph_view
    from kg.rdf.store import open_store

    with open_store(str(ingested_store), must_exist=True) as store:
        view = graph_view(store)
    open_page(driver, view, tmp_path / "seed.html", title="Seed")
    assert driver.execute_script("return kgNetwork.body.data.nodes.length") == len(view.nodes)
    niger = next(n.id for n in view.nodes if n.label == "Niger")
    search(driver, "Niger")
    assert niger in selected_nodes(driver)
    withdrawal = next(e for e in view.edges  # the US forces' withdrawal from Niger
                      if e.relation == "withdrewFrom" and e.source.endswith("/usa/military")
                      and e.target.endswith("/state/NER"))
    driver.execute_script("kgNetwork.unselectAll(); kgNetwork.fit({animation: false});")
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


def test_as_of_date_shows_the_graph_as_it_stood_then(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    open_page(driver, niger_view_with_undated(), tmp_path / "graph.html")
    open_view(driver, "timeline")
    assert shown(driver) == (5, 5)
    set_as_of(driver, "2024-05-01")
    assert shown(driver) == (4, 4)  # the withdrawal (September) goes; the undated one stays
    edges = driver.execute_script("return kgFilters.edges.getIds()")
    assert WITHDRAWAL not in edges and UNDATED in edges
    text = driver.find_element(By.ID, "kg-views").text
    assert "as of 2024-05-01: 1 later relation hidden" in text
    assert "United States forces in Niger \u00b7 not yet reported" in text
    set_as_of(driver, "2023-12-31")
    assert shown(driver) == (2, 2)  # the suspended aid (2023) and the undated agreement
    driver.find_element(By.XPATH, "//button[text()='Clear date']").click()
    assert shown(driver) == (5, 5)
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
    from kg.export.graph_view import graph_view
    from kg.rdf.store import open_store

    with open_store(str(seed_and_dated_store), must_exist=True) as store:
        view = graph_view(store)
    open_page(driver, view, tmp_path / "seed.html", title="Seed")
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
    assert severe_logs(driver) == []

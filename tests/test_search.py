"""Site search: a reader on a phone finds a session by a Chinese word, and never an unpublished one.

The index is Pagefind's: gzip files whose content is a "pagefind_dcd" tag and
CBOR, in which words and page text are plain UTF-8. Decompressing every index and fragment file and looking for bytes
is enough to know what a reader's browser could ever be sent.
"""

from __future__ import annotations

import base64
import functools
import gzip
import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest
from sitebuilder import BuildResult, SiteFolder, outcome, session

PUBLISHED_TOKEN = "qzpublishedtoken"
ANSWER_TOKEN, PLACE_TOKEN, MEDIA_TOKEN = "qzanswertoken", "qzplacetoken", "qzmediatoken"
DRAFT_TOKEN = "qzdrafttoken"
EMBARGO_TOKEN = "qzembargotoken"
DRAFT_PHRASE = "内部讨论稿请勿外传"
PAYLOAD = '<img src=x onerror=alert("HYSEARCHXSS")>'
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = SiteFolder(tmp_path_factory.mktemp("search"))
    site.write("sessions/2021/tingche.md", session(
        "推进共享停车 缓解停车难", "qingdao", "2021-04-02",
        [outcome("parking-sharing", "推动机关事业单位停车场错时向市民开放", ["市住房城乡建设局"],
                 ("2021-04-02", "submitted"))],
        body=f"委员们围绕老旧小区停车难展开讨论。{PUBLISHED_TOKEN}\n"))
    site.write("sessions/2021/yanglao.md", session("发展社区居家养老服务", "shibei", "2021-05-01"))
    site.write("sessions/2021/dianti.md", session(
        "老旧小区加装电梯", "qingdao", "2021-07-01",
        [outcome("dianti", "简化加装电梯审批", ["市住建局"],
                 ("2021-07-02", "submitted"), ("2021-08-01", "implemented", f"已出台办法。{ANSWER_TOKEN}"))],
        location=f"市北区{PLACE_TOKEN}", media=[{"title": f"加装电梯报道{MEDIA_TOKEN}", "outlet": "青岛日报"}]))
    site.write("sessions/2021/payload.md", session(f"{PAYLOAD}议题", "shibei", "2021-05-02", body=f"正文{PAYLOAD}\n"))
    site.write("sessions/2021/caogao.md", session(
        "草稿：停车收费调整", "qingdao", "2021-06-01", draft=True, body=f"{DRAFT_PHRASE}。{DRAFT_TOKEN}\n"))
    site.write("sessions/2021/jinfa.md", session(
        "禁发：停车场建设", "qingdao", "2021-06-02", publish_date="2030-01-01", body=f"{DRAFT_PHRASE}。{EMBARGO_TOKEN}\n"))
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def index_files(site: Path) -> dict[str, bytes]:
    """Every index and fragment file of the search bundle, decompressed."""
    found = {}
    for path in sorted((site / "pagefind").rglob("*")):
        if path.suffix in {".pf_index", ".pf_fragment", ".pf_meta"}:
            found[path.relative_to(site).as_posix()] = gzip.decompress(path.read_bytes())
    return found


def test_the_index_holds_a_chinese_word_of_a_session(built: BuildResult) -> None:
    files = index_files(built.site)
    chunks = [data for name, data in files.items() if name.endswith(".pf_index")]
    assert chunks, "no index chunks were written"
    assert any("停车".encode() in chunk for chunk in chunks)  # a segmented Chinese word
    assert any(PUBLISHED_TOKEN.encode() in chunk for chunk in chunks)


def test_the_index_holds_what_a_session_page_says_beyond_its_narrative(built: BuildResult) -> None:
    """A department's answer, the place and the coverage are on the page, so a reader can find them."""
    words = b"".join(data for name, data in index_files(built.site).items() if name.endswith(".pf_index"))
    for token in (ANSWER_TOKEN, PLACE_TOKEN, MEDIA_TOKEN):
        assert token.encode() in words, token
    fragments = b"".join(data for name, data in index_files(built.site).items() if name.endswith(".pf_fragment"))
    fragments = fragments.replace("\u200b".encode(), b"")  # Pagefind marks where it cut the words
    assert "青岛市住房和城乡建设局".encode() in fragments  # the department that holds it, by its full name
    assert "老旧小区加装电梯".encode() in fragments  # the result's title


def pagefind_assets() -> dict[str, bytes]:
    """The files Pagefind itself hands out in memory for a one-page index (service mode, GetFiles).

    Its scripts, styles and wasm are the same bytes in every bundle of one Pagefind
    version, so a site's copies must equal these, not merely exist.
    """
    from huiyin.core.outputs.search import pagefind_executable

    messages = [{"type": "NewIndex", "config": {"force_language": "zh"}},
                {"type": "AddFile", "index_id": 0, "url": "/x/", "file_path": None,
                 "file_contents": "<html lang=zh><body><h1>停车</h1></body></html>"},
                {"type": "GetFiles", "index_id": 0}]
    process = subprocess.Popen([str(pagefind_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    for number, payload in enumerate(messages, 1):
        process.stdin.write(base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b",")
    process.stdin.flush()
    received = b""
    while received.count(b",") < len(messages):  # Pagefind stops at once when its input closes: wait first
        chunk = process.stdout.read1(1 << 16)
        assert chunk, "Pagefind stopped before answering"
        received += chunk
    process.stdin.close()
    process.wait(timeout=30)
    files = json.loads(base64.b64decode(received.split(b",")[len(messages) - 1]))["payload"]["files"]
    return {file["path"]: base64.b64decode(file["content"]) for file in files}


def test_every_file_of_the_search_bundle_is_whole(built: BuildResult) -> None:
    """Pagefind 1.5.2 confirmed its writes before the bytes were on disk (Pagefind/pagefind#1271).

    Under load the browser was then sent an empty pagefind-entry.json or a cut-off wasm or style
    sheet, and search broke for everyone. Every file must be complete: the entry parses and names
    a meta file that exists, every index file and the wasm decompress whole, and the scripts,
    styles and wasm are byte for byte the ones Pagefind hands out.
    """
    bundle = built.site / "pagefind"
    files = {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}
    assert [name for name, data in files.items() if not data] == []
    entry = json.loads(files["pagefind-entry.json"])
    assert entry["languages"]["zh"]["page_count"] == len([name for name in files if name.startswith("fragment/")])
    assert f"pagefind.{entry['languages']['zh']['hash']}.pf_meta" in files
    for name, data in files.items():
        if name.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".pagefind")):
            assert gzip.decompress(data).startswith(b"pagefind_dcd"), name  # gzip checks length and CRC
    assets = {name: data for name, data in pagefind_assets().items() if name.endswith((".js", ".css", ".pagefind"))}
    assert len(assets) >= 10
    assert {name: len(files.get(name, b"")) for name in assets} == {name: len(data) for name, data in assets.items()}
    assert all(files[name] == data for name, data in assets.items())


def test_the_index_is_chunked_not_one_file_of_everything(built: BuildResult) -> None:
    assert not (built.site / "search" / "search_index.json").exists()  # Material's single-file index
    assert (built.site / "pagefind" / "pagefind.js").is_file()
    assert len([p for p in (built.site / "pagefind" / "fragment").iterdir()]) >= 2  # one per searchable page


def test_no_unpublished_session_reaches_any_index_file(built: BuildResult) -> None:
    for name, data in index_files(built.site).items():
        for marker in (DRAFT_TOKEN, EMBARGO_TOKEN, DRAFT_PHRASE):
            assert marker.encode() not in data, f"{marker} in {name}"


def test_only_record_pages_are_searchable(built: BuildResult) -> None:
    urls = b"".join(data for name, data in index_files(built.site).items() if name.endswith(".pf_fragment"))
    assert b"/sessions/2021/tingche/" in urls
    assert b"/platforms/qingdao/" in urls
    assert b"/feedback/" not in urls  # lists repeat the records; they stay out of the index


def test_every_page_has_a_search_box_in_the_header(built: BuildResult) -> None:
    for path in ["", "sessions/2021/tingche/", "feedback/"]:
        html = built.page(path)
        header = html[html.index("<header"):html.index("</header>")]
        assert 'type="search"' in header, path
        assert "huiyin-search.js" in header, path
        assert "搜索" in header, path


def test_a_phone_reader_finds_a_session_and_markup_in_results_stays_text(built: BuildResult) -> None:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialogs: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/sessions/2021/yanglao/")
            page.locator("header").get_by_role("button", name="搜索").click()
            box = page.locator("header").get_by_role("searchbox")
            box.fill("停车")
            first = page.locator(".hy-search-result a").first
            first.wait_for(timeout=60_000)
            assert "推进共享停车 缓解停车难" in first.inner_text()
            assert first.get_attribute("href").endswith("/sessions/2021/tingche/")
            assert "找到" in page.locator(".hy-search-result .md-search-result__meta").inner_text()

            box.fill("HYSEARCHXSS")
            page.locator(".hy-search-result a", has_text="HYSEARCHXSS").first.wait_for(timeout=60_000)
            results = page.locator(".hy-search-result")
            assert PAYLOAD in results.inner_text()  # shown as the text it is on its page
            assert results.locator("img").count() == 0

            # The tags page links to the search with a query: /sessions/?q=停车
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/sessions/?q=%E5%81%9C%E8%BD%A6")
            page.locator(".hy-search-result a", has_text="推进共享停车").first.wait_for(timeout=60_000)
            assert page.locator("header").get_by_role("searchbox").input_value() == "停车"
            browser.close()
    finally:
        server.shutdown()
    assert dialogs == []


def test_a_large_index_is_written_in_shards_that_the_search_box_merges(tmp_path: Path) -> None:
    """Pagefind holds an index in memory until written; at scale it is written in shards."""
    from huiyin.core.outputs.search import SHARDS_FILE, SearchIndexer

    indexer = SearchIndexer(tmp_path, shard_pages=2)
    for n in range(5):
        indexer.add(f"/sessions/2021/s{n}/", f"<h1>议题{n}</h1><p>停车难题{n}</p>")
    index = indexer.write()
    assert index.pages == 5
    manifest = json.loads((tmp_path / "pagefind" / SHARDS_FILE).read_text(encoding="utf-8"))
    assert manifest == {"shards": ["shard-2/", "shard-3/"]}
    fragments = {shard: b"".join(gzip.decompress(p.read_bytes()) for p in (tmp_path / "pagefind" / shard / "fragment").iterdir())
                 for shard in ["", "shard-2", "shard-3"]}
    assert [data.count(b'"url":"/sessions/2021/') for data in fragments.values()] == [2, 2, 1]


def test_starting_a_shard_does_not_wait_for_the_one_before_to_be_written(tmp_path: Path) -> None:
    """Pagefind answers in order: a question asked as a shard starts would wait behind the last one's writing.

    Documents are handed over without ever waiting for an answer; only write() waits.
    """
    from huiyin.core.outputs.search import SearchIndexer

    indexer = SearchIndexer(tmp_path, shard_pages=2, expected_pages=5)
    waited: list[int] = []
    wait = indexer.service.wait
    indexer.service.wait = lambda message_id, *args: waited.append(message_id) or wait(message_id, *args)  # type: ignore[method-assign]
    for n in range(5):
        indexer.add(f"/sessions/2021/s{n}/", f"<h1>议题{n}</h1><p>停车难题{n}</p>")
    assert waited == []
    assert indexer.write().pages == 5
    assert waited  # the writes of all three shards
    assert [p.name for p in sorted((tmp_path / "pagefind").glob("shard-*"))] == ["shard-2", "shard-3"]


def test_shards_are_even_and_as_few_as_memory_allows() -> None:
    """Every shard is one more download per query: only as many as Pagefind's memory needs, evenly cut."""
    from huiyin.core.outputs.search import SHARD_PAGES, shard_size

    assert shard_size(None) == SHARD_PAGES
    assert shard_size(60) == 60  # the sample site: one shard, one download per search
    assert shard_size(2076) == 2076
    assert shard_size(4001) == 2001
    assert shard_size(9000) == 3000
    assert shard_size(19_400) == 3880  # five shards, none over SHARD_PAGES


@pytest.mark.parametrize(("binary", "said"), [
    ("/nonexistent/pagefind", "找不到站内搜索的索引程序 Pagefind"),  # not installed
    ("/bin/false", "站内搜索索引程序 Pagefind 意外退出"),  # installed, but dies at once
])
def test_a_search_indexer_that_fails_fails_the_build_in_plain_words(tmp_path: Path, binary: str, said: str) -> None:
    """The index is made in a forked child; its failure still reaches staff as one clear message."""
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/tingche.md", session("推进共享停车 缓解停车难", "qingdao", "2021-04-02"))
    result = site.build(env={"PAGEFIND_BINARY_PATH": binary})
    assert result.returncode != 0
    assert said in result.log
    assert "Traceback" not in result.log

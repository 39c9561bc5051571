"""Add a report (/upload): a text, HTML or Word file with optional metadata, built into the store by the same atomic build
as the CLI — only when the operator has turned uploads on (KG_ALLOW_UPLOADS=1 or `kg-build app --allow-uploads`).

The check is made on every run of this page, on the server: with uploads off no upload widget exists and nothing
is built, however the page is reached."""

from __future__ import annotations

import math
import sys
from pathlib import Path

PAGES = str(Path(__file__).resolve().parent)
if PAGES not in sys.path:  # _ui and _i18n, also when Streamlit runs this page without app.py
    sys.path.insert(0, PAGES)

import streamlit as st  # noqa: E402
from _ui import esc, href, lang, link, run_page, store, store_root  # noqa: E402

from kg_build import upload
from kg_build.errors import PolicyKGError, StoreBusyError
from kg_build.metadata.sidecar import LEVELS
from kg_build.store import open_store

OWN_STRINGS: dict[str, tuple[str, str]] = {
    "title": ("添加报告", "Add a report"),
    "off": (
        "本服务未开启上传。请管理员设置环境变量 `{env}=1`（或以 `kg-build app --allow-uploads` 启动）。",
        "Uploads are off on this server. Ask your operator to set `{env}=1` (or to start it with "
        "`kg-build app --allow-uploads`).",
    ),
    "remote": (
        "数据在远程 SPARQL 存储（{url}）中，不能从浏览器添加报告：请用 `kg-build build --store {url}` 构建。",
        "The store is a remote SPARQL store ({url}); reports cannot be added to it from the browser: build into it "
        "with `kg-build build --store {url}`.",
    ),
    "intro": (
        "上传一份政府工作报告（{types}，不超过 {limit}），可附元数据。报告按与命令行相同的方式构建，构建成功后立即出现在各页面中；"
        "失败时数据保持不变。上传只添加新报告，不替换已有报告。",
        "Upload one government work report ({types}, at most {limit}), with metadata if you have them. It is built as "
        "the command line builds, and appears on every page once built; a failed build leaves the store as it was. "
        "An upload adds a report and never replaces one.",
    ),
    "file": ("报告文件", "Report file"),
    "meta": ("元数据（可选）", "Metadata (optional)"),
    "region": ("地区", "Region"),
    "region_help": ("如 思明区；与规划年份一起决定报告的标识。", "e.g. 思明区; with the plan year it names the report."),
    "plan_year": ("规划年份", "Plan year"),
    "title_field": ("标题", "Title"),
    "source_url": ("来源网址", "Source URL"),
    "published": ("发布日期", "Published"),
    "published_help": ("如 2026-01-15 或 2026", "e.g. 2026-01-15 or 2026"),
    "level": ("层级", "Level"),
    "publisher": ("发布者", "Publisher"),
    "id": ("报告标识", "Report id"),
    "id_help": (
        "小写字母、数字和连字符，如 siming-2026；留空则由地区和年份（或文件名）生成。",
        "Lowercase letters, digits and hyphens, e.g. siming-2026; left empty, it is made from the region and year "
        "(or the file name).",
    ),
    "submit": ("上传并构建", "Upload and build"),
    "no_file": ("请选择一个报告文件。", "Choose a report file first."),
    "checking": ("正在检查 {name}……", "Checking {name}…"),
    "read": ("已读取报告，正在抽取……", "Read the report; extracting…"),
    "built": ("已构建，正在发布……", "Built; publishing…"),
    "published": ("已发布", "Published"),
    "failed": ("上传未完成，数据保持不变", "Not added: the store is unchanged"),
    "busy": (
        "另一个构建正在写入数据，请稍后再试：{message}",
        "Another build is writing to the store; try again when it has finished: {message}",
    ),
    "added": ("已添加报告 {id}（数据版本 {generation}）。", "Added report {id} (build {generation})."),
    "already": (
        "数据中已有这份报告（内容与元数据相同），未作改动。",
        "The store already holds this report (same text and metadata); nothing changed.",
    ),
    "open_report": ("打开报告", "Open the report"),
    "open_overview": ("查看概览", "See the overview"),
    "warning": ("提示：{message}", "Note: {message}"),
}


def own(key: str, **values: object) -> str:
    zh, en = OWN_STRINGS[key]
    text = en if lang() == "en" else zh
    return text.format(**values) if values else text


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MiB" if value == int(value) else f"{value:.1f} MiB"


def _form(max_bytes: int) -> tuple[object, dict[str, object]] | None:
    """The upload form; the file and the metadata fields once submitted, else None."""
    with st.form("upload", clear_on_submit=False):
        file = st.file_uploader(
            own("file"), type=[s.lstrip(".") for s in upload.UPLOAD_SUFFIXES],
            max_upload_size=max(1, math.ceil(max_bytes / (1024 * 1024))),
        )
        st.markdown(f"**{esc(own('meta'))}**")
        a, b = st.columns(2)
        fields: dict[str, object] = {
            "region": a.text_input(own("region"), help=own("region_help")),
            "plan_year": b.text_input(own("plan_year"), placeholder="2026"),
            "title": a.text_input(own("title_field")),
            "source_url": b.text_input(own("source_url"), placeholder="https://"),
            "published": a.text_input(own("published"), help=own("published_help")),
            "publisher": b.text_input(own("publisher")),
            "level": a.selectbox(own("level"), ["", *LEVELS], format_func=lambda level: level or "—"),
            "id": b.text_input(own("id"), help=own("id_help")),
        }
        submitted = st.form_submit_button(own("submit"), type="primary")
    return (file, fields) if submitted else None


def _build(file: object, fields: dict[str, object], max_bytes: int) -> None:
    """Check, build and publish one upload, showing each stage; one line of error when it fails."""
    stages = ("read", "built", "published")
    with st.status(own("checking", name=" ".join(file.name.split())[:80]), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(stage: str) -> None:
            done = stages.index(stage) + 1
            bar.progress(done / len(stages), text=own(stage))
            status.update(label=own(stage))

        failure = None
        try:
            checked = upload.check_upload(file.name, file.getvalue(), fields, max_bytes=max_bytes)
            result = upload.build_upload(checked, store=open_store(store_root()), progress=progress)
        except StoreBusyError as exc:
            failure = own("busy", message=" ".join(str(exc).split()))
        except PolicyKGError as exc:
            failure = " ".join(str(exc).split())
        if failure is None:
            status.update(label=own("published"), state="complete", expanded=False)
        else:
            status.update(label=own("failed"), state="error", expanded=False)
    if failure is not None:  # outside the folded status, where it is seen
        st.error(failure)
        return
    if result.added:
        st.success(own("added", id=result.report_id, generation=result.generation))
    else:
        st.info(own("already"))
    for warning in result.warnings:
        st.warning(own("warning", message=warning))
    st.markdown(
        link(href("report", iri=result.report_iri), own("open_report")) + " · " + link(href(""), own("open_overview")),
        unsafe_allow_html=True,
    )


def main() -> None:
    st.title(own("title"))
    if not upload.uploads_allowed():  # read on every run: the server decides, not the page's visibility
        st.info(own("off", env=upload.ALLOW_ENV))
        return
    settings = upload.settings()  # a malformed limit is an error only when uploads are on
    root = store_root()
    if isinstance(root, str):  # a SPARQL store named by URL
        st.warning(own("remote", url=root))
        return
    store()  # a first use builds the bundled reports before anything is added
    st.markdown(esc(own("intro", types=", ".join(upload.UPLOAD_SUFFIXES), limit=_megabytes(settings.max_bytes))))
    submitted = _form(settings.max_bytes)
    if submitted is None:
        return
    file, fields = submitted
    if file is None:
        st.error(own("no_file"))
        return
    _build(file, fields, settings.max_bytes)


run_page(main)

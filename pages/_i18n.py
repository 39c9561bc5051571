"""Every string the explorer shows, in Chinese and English: one table, looked up by key."""

from __future__ import annotations

LANGUAGES: dict[str, str] = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"
LANGUAGE_LABEL = "语言 / Language"

STRINGS: dict[str, tuple[str, str]] = {
    # app shell
    "app_title": ("政策知识图谱", "Policy knowledge graph"),
    "page_overview": ("概览", "Overview"),
    "page_sparql": ("SPARQL 查询", "SPARQL workbench"),
    "page_graph": ("关系图", "Graph view"),
    "page_entity": ("实体", "Entity"),
    "page_figures": ("目标与完成值", "Targets and results"),
    "page_outcomes": ("目标是否达到", "Were targets met"),
    "page_search": ("搜索原文", "Search text"),
    "page_report": ("报告", "Report"),
    "page_browse": ("浏览", "Browse"),
    "page_ontology": ("本体", "Ontology"),
    # add a report (pages/upload.py; its other strings are the page's own)
    "page_upload": ("添加报告", "Add a report"),
    # store
    "building": ("首次使用：正在构建随附的报告……", "First use: building the bundled reports…"),
    "building_file": ("已构建 {name}", "Built {name}"),
    "built": ("构建完成：{count} 份报告", "Built {count} reports"),
    "build_failed": ("构建失败：{message}", "The build failed: {message}"),
    "build_busy": ("另一个进程正在构建数据，稍候……", "Another process is building the store; waiting…"),
    "store_error": ("无法读取数据：{message}", "Cannot read the store: {message}"),
    "store_retry": (
        "数据可能刚被重新构建，请刷新页面重试。",
        "The store may have just been rebuilt: reload the page to try again.",
    ),
    # overview
    "overview_title": ("政府工作报告知识图谱", "Government work reports as a knowledge graph"),
    "store_location": ("数据位置", "Store"),
    "generation": ("数据版本", "Build"),
    "generation_time": ("构建时间", "Built at"),
    "quads": ("三元组数", "Quads"),
    "reports": ("报告", "Reports"),
    "no_reports": ("数据中还没有报告。", "The store holds no reports yet."),
    "classes": ("类别", "Classes"),
    "class": ("类别", "Class"),
    "count": ("数量", "Count"),
    "title": ("标题", "Title"),
    "region": ("地区", "Region"),
    "year": ("年份", "Year"),
    "plan_year": ("计划年份", "Plan year"),
    "sections": ("部分", "Sections"),
    "pillars": ("重点任务", "Pillars"),
    "measures": ("举措", "Measures"),
    "entities": ("实体", "Entities"),
    "figures": ("量化表述", "Figures"),
    "graph": ("关系图", "Graph"),
    "open_graph": ("查看关系图", "graph"),
    # sparql
    "sparql_title": ("SPARQL 查询", "SPARQL workbench"),
    "gallery": ("保存的查询", "Saved queries"),
    "open": ("打开", "Open"),
    "editor": ("查询", "Query"),
    "parameters": ("参数", "Parameters"),
    "run": ("运行", "Run"),
    "stop": ("停止", "Stop"),
    "timeout": ("时间限制（秒）", "Time limit (s)"),
    "running": ("正在运行……{seconds:.1f} 秒", "Running… {seconds:.1f} s"),
    "rows_in": ("{rows:,} 行，用时 {ms:,.0f} 毫秒", "{rows:,} rows in {ms:,.0f} ms"),
    "triples_in": ("{rows:,} 个三元组，用时 {ms:,.0f} 毫秒", "{rows:,} triples in {ms:,.0f} ms"),
    "ask_in": ("结果：{value}，用时 {ms:,.0f} 毫秒", "Result: {value} in {ms:,.0f} ms"),
    "shown_cap": (
        "显示前 {shown:,} 行；下载包含全部 {rows:,} 行。",
        "Showing the first {shown:,} rows; the downloads hold all {rows:,}.",
    ),
    "cut_cap": (
        "结果超过 {cap:,} 行，只读取了前 {cap:,} 行。",
        "The result has more than {cap:,} rows; only the first {cap:,} were read.",
    ),
    "page": ("页", "Page"),
    "all_rows": ("全部行（而非每页 {size} 行）", "Every row (not {size} a page)"),
    "limits": (
        "只读；每个查询最多运行 {timeout:g} 秒；显示最多 {shown:,} 行，下载最多 {cap:,} 行。",
        "Read-only; each query may run {timeout:g} s; up to {shown:,} rows are shown and {cap:,} downloaded.",
    ),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_json": ("下载 JSON", "Download JSON"),
    "download_turtle": ("下载 Turtle", "Download Turtle"),
    "query_refused": ("查询被拒绝", "Query refused"),
    "query_syntax": ("SPARQL 语法错误", "SPARQL syntax error"),
    "query_timeout": ("查询超时", "Query timed out"),
    "query_failed": ("查询失败", "Query failed"),
    "query_stopped": ("查询已停止。", "The query was stopped."),
    "unknown_query": ("没有名为 “{name}” 的保存查询。", "There is no saved query named “{name}”."),
    "empty_query": ("请输入一个查询。", "Type a query first."),
    "no_rows": ("没有结果。", "No results."),
    "share_hint": (
        "此页面的网址会重现当前查询，可直接分享。",
        "This page's URL reproduces the current query: share it.",
    ),
    # graph
    "graph_title": ("关系图", "Graph view"),
    "start_from": ("起点", "Start from"),
    "start_report": ("报告", "A report"),
    "start_pillar": ("重点任务", "A pillar"),
    "start_search": ("搜索", "Search"),
    "report": ("报告", "Report"),
    "pillar": ("重点任务", "Pillar"),
    "search_label": ("按名称搜索", "Search by label"),
    "search_placeholder": ("例如：投资、项目、地区生产总值", "e.g. GDP growth, Fujian, 投资"),
    "search_results": ("结果", "Results"),
    "no_hits": ("没有找到匹配的名称。", "No label matches."),
    "depth": ("邻域深度", "Neighbourhood depth"),
    "graph_notice": (
        "共找到 {found:,} 个节点，显示 {shown:,} 个；未显示：{left}。",
        "Found {found:,} nodes and show {shown:,}; left out: {left}.",
    ),
    "graph_help": (
        "拖动节点可调整位置；悬停查看名称、类别和原文句子；双击节点打开其实体页。",
        "Drag nodes to move them; hover for label, class and source sentence; double-click to open the entity page.",
    ),
    "focus": ("中心节点", "Focus"),
    "nodes_list": ("图中的节点", "Nodes in this view"),
    "no_focus": ("请选择一个起点。", "Choose where to start."),
    # graph views (pages/graph.py): the report hierarchy, the neighbourhood grown by clicks, filters, groups
    "graph_view": ("视图", "View"),
    "graph_view_plan": ("报告层级", "Report hierarchy"),
    "graph_view_hood": ("邻域", "Neighbourhood"),
    "graph_classes": ("显示的类别", "Classes shown"),
    "graph_more": ("另有 {count:,} 个{cls}", "{count:,} more · {cls}"),
    "graph_grouped": (
        "为保持可读，每个上级节点下同类节点超过 {per} 个时合并为一个“另有……”节点（共合并 {grouped}）；单击该节点即可展开。",
        "To stay readable, beyond {per} of one class under one node the rest are folded into one “more” node "
        "({grouped} folded); click it to open it.",
    ),
    "graph_hidden": ("按类别筛选隐藏了：{hidden}。", "Hidden by the class filter: {hidden}."),
    "graph_cut": ("超出 {cap} 个节点的上限，未显示：{cut}。", "Beyond the cap of {cap} nodes, not shown: {cut}."),
    "graph_help_plan": (
        "从左到右：报告 → 部分 → 重点任务 → 举措 → 提及的事物，按原文顺序排列。单击节点查看其邻域；悬停查看名称和类别；双击打开实体页。",
        "Left to right: report → sections → pillars → measures → what they name, in the report's order. "
        "Click a node for its neighbourhood; hover for label and class; double-click to open the entity page.",
    ),
    "graph_help_hood": (
        "单击节点即展开其相邻节点（展开的节点记录在网址中）；悬停查看名称、类别和原文句子；双击打开实体页。",
        "Click a node to add its neighbours (the expanded nodes are kept in the URL); hover for label, class and "
        "source sentence; double-click to open the entity page.",
    ),
    "graph_expanded": ("已展开的节点：{count:,}。", "Nodes expanded: {count:,}."),
    "graph_collapse": ("全部收起", "Collapse all"),
    "graph_hint_group": ("单击展开", "click to open"),
    "graph_hint_expand": ("单击展开其相邻节点", "click to add its neighbours"),
    "graph_hint_open": ("单击查看其邻域", "click for its neighbourhood"),
    "graph_shown": ("显示 {shown:,} 个节点（共 {found:,} 个）", "{shown:,} of {found:,} nodes shown"),
    "graph_no_reports": ("存储中没有报告。", "The store holds no report."),
    # entity
    "entity_title": ("实体", "Entity"),
    "entity_pick": ("搜索实体", "Find an entity"),
    "unknown_entity": ("数据中没有 IRI 为 {iri} 的实体。", "The store knows nothing about the IRI {iri}."),
    "bad_iri": ("“{iri}” 不是有效的 IRI。", "“{iri}” is not a valid IRI."),
    "labels": ("名称", "Labels"),
    "alt_labels": ("别名", "Other names"),
    "facts": ("属性", "Facts"),
    "incoming": ("指向它的链接", "Links to it"),
    "property": ("属性", "Property"),
    "value": ("值", "Value"),
    "sources": ("出处", "Sources"),
    "no_sources": ("没有记录原文出处。", "No source text is recorded."),
    "sources_page": ("出处 {first:,}–{last:,}（共 {total:,} 处）", "Sources {first:,}–{last:,} of {total:,}"),
    "neighbours": ("相邻节点", "Neighbours"),
    "view_graph": ("在关系图中查看", "Show in the graph view"),
    "more_values": ("……另有 {count:,} 个", "… and {count:,} more"),
    "characters": ("字符 {begin}–{end}", "characters {begin}–{end}"),
    # figures
    "figures_title": ("目标与完成值", "Targets and results"),
    "kind": ("类型", "Kind"),
    "indicator": ("指标", "Indicator"),
    "comparator": ("比较", "Comparator"),
    "unit": ("单位", "Unit"),
    "unit_label": ("计数对象", "Counts"),  # what a count counts (pol:unitLabel): 人 / persons
    "pinyin_note": (
        "英文界面中：已知英文名称的显示英文，“(pinyin)” 表示拼音转写（不是翻译），其余显示中文。",
        "Names are in English where known; “(pinyin)” marks a name written in pinyin, a romanisation, not a "
        "translation; the rest are in Chinese.",
    ),
    "upper": ("上限", "Upper bound"),
    "modality": ("语气", "Modality"),
    "surface": ("原文", "As written"),
    "statement": ("表述", "Statement"),
    "no_figures": ("没有符合条件的量化表述。", "No figures match."),
    "chart": ("比较同一指标", "Compare one indicator"),
    "chart_indicator": ("指标", "Indicator"),
    "chart_units": (
        "该指标有多个单位，图中只显示 {unit}。",
        "This indicator has several units; the chart shows {unit} only.",
    ),
    "chart_none": ("选择一个指标以绘制图表。", "Pick an indicator to draw a chart."),
    "rows_count": ("{rows:,} 条", "{rows:,} rows"),
    "all": ("全部", "All"),
    # the SPARQL workbench's editor, result views and history (pages/sparql.py)
    "wb_editor_help": (
        "Ctrl+Enter（⌘+Enter）运行 · Ctrl+Space 补全前缀、类和属性 · 缺少的 PREFIX 会自动声明",
        "Ctrl+Enter (⌘+Enter) runs · Ctrl+Space completes prefixes, classes and properties · "
        "missing PREFIX lines are declared for you",
    ),
    "wb_plain": ("纯文本编辑", "Plain-text editor"),
    "wb_declared": ("已为查询声明前缀：{prefixes}", "Prefixes declared for the query: {prefixes}"),
    "wb_view": ("显示为", "Show as"),
    "wb_view_table": ("表格", "Table"),
    "wb_view_bar": ("柱状图", "Bar chart"),
    "wb_view_line": ("折线图", "Line chart"),
    "wb_view_graph": ("关系图", "Graph"),
    "wb_graph_cap": ("显示前 {shown:,} 条边（共 {edges:,} 条）", "Showing the first {shown:,} of {edges:,} edges"),
    "wb_history": ("本次会话的查询（{count}）", "This session's queries ({count})"),
    "wb_restore": ("恢复", "Restore"),
    "wb_history_rows": ("{rows:,} 行", "{rows:,} rows"),
}

# Properties outside the pol: ontology (which carries its own labels), named for readers.
PROPERTY_NAMES: dict[str, tuple[str, str]] = {
    "rdf:type": ("类型", "type"),
    "skos:prefLabel": ("名称", "preferred label"),
    "skos:altLabel": ("别名", "other name"),
    "rdfs:label": ("标签", "label"),
    "prov:wasDerivedFrom": ("出处", "derived from"),
    "dct:title": ("标题", "title"),
    "dct:publisher": ("发布者", "publisher"),
    "dct:creator": ("作者", "author"),
    "dct:issued": ("发布日期", "issued"),
    "dct:source": ("来源网址", "source"),
    "qudt:numericValue": ("数值", "numeric value"),
    "qudt:unit": ("单位", "unit"),
    "nif:anchorOf": ("原文", "text"),
    "nif:beginIndex": ("起始位置", "begin index"),
    "nif:endIndex": ("结束位置", "end index"),
    "nif:referenceContext": ("所属全文", "reference context"),
    "nif:sentence": ("所在句子", "sentence"),
    "nif:isString": ("全文", "text"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The string for ``key`` in ``lang`` (zh or en), with ``values`` filled in."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text

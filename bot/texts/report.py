"""User-facing texts: the written report (督查检查书面情况) as an official document, its sections
prefilled from the records, the internal annex, and the chat commands that edit it."""

# ---- the form
RPT_TITLE = "{bureau}关于{campaign}督查检查情况的报告"
RPT_TITLE_CITY = "{bureau}关于全市{campaign}督查检查情况的报告"
RPT_CITY_TO = "市委巡查办"  # 四(一): 市局汇总后报市委巡查办
RPT_NOTICE = "《{issuer}关于全市开展{campaign}的通知》（{doc_no}）"
RPT_DRAFT_MARK = "（草稿，定稿前请核对并补全【待填写】处）"
RPT_MISSING = "【待填写：{what}】"
RPT_MISSING_RE = r"【待填写[：:][^】]*】"
RPT_DOC_NO_MISSING = "发文字号"
RPT_SIGNER_MISSING = "签发人"
RPT_CONTACT = "联系人：{name}，联系电话：{phone}"
RPT_CONTACT_MISSING = "联系人及电话"
RPT_ATTACHMENT_LIST = "督查检查企业明细表"
RPT_INTRO = ("按照{notice}要求，{we}于{start}至{end}开展{campaign}督查检查。"
             "现将有关情况报告如下。")
RPT_WE = "我局"

# ---- the sections (key -> heading); the order is the report's (bot.documents.report_sections.OUTLINE)
RPT_SECTIONS = {
    "org": "组织领导情况",
    "inspection": "督查检查情况",
    "enterprises": "检查企业情况",
    "problems": "发现问题情况",
    "enforcement": "执法处理情况",
    "cases": "典型案例和曝光情况",
    "mechanism": "长效机制建设情况",
    "issues": "存在问题",
    "next": "下步措施",
}
RPT_NUMERALS = "一二三四五六七八九十"

# 一、组织领导
RPT_ORG = ("我局由分管领导{leader}具体负责，成立执法督查组，执法人员{names}{more}共{n}人参加，"
           "于{first}至{last}集中开展“回头看”督查检查。")
RPT_ORG_CITY = ("市局由分管领导{leader}具体负责，成立执法督查组开展督查检查；{bureaus}等{n}个单位开展了检查，"
                "参加检查的执法人员共{people}人。")
RPT_ORG_LEADER = "分管领导姓名、职务"
RPT_ORG_MORE = "等"
RPT_ORG_NONE = "【待填写：组织领导和执法督查组情况】"

# 二、督查检查情况
RPT_INSPECTED = ("共检查生产经营单位{inspected}家、{visits}次，其中{industries}。计入本次“回头看”任务的"
                 "高危行业企业{counted}家（任务{quota}家）{verdict}。")
RPT_INSPECTED_NONE = "尚未检查生产经营单位（任务{quota}家）。"
RPT_INSPECTED_OTHER = "其他行业{n}家（不计入任务）"
RPT_INDUSTRY_PART = "{name}{n}家"
RPT_DONE = "，已完成任务"
RPT_SHORT = "，差{left}家未完成"
RPT_SHORT_REASON = "未完成任务的原因：{reason}"
RPT_SHORT_REASON_MISSING = "未完成任务的原因"
RPT_CITY_SUM = ("合计为各单位之和：同一企业由不同单位分别检查的，各计入本单位任务（{shared}家次），"
                "全市检查的高危行业企业去重后为{distinct}家。")
RPT_PROBLEMS = "发现问题{n}项，涉及企业{enterprises}家，其中{items}。问题较多的是：{top}。"
RPT_PROBLEM_ITEM = "{title}{n}项"
RPT_PROBLEM_TOP = "“{text}”（{n}项）"
RPT_PROBLEMS_NONE = "本次督查检查未发现问题。"

# 三、执法处理情况
RPT_ENFORCEMENT = "对发现的问题，依法责令限期改正{orders}项{penalties}。截至{day}，{states}。"
RPT_ENFORCEMENT_PENALTIES = "；实施行政处罚{n}起，罚款{yuan}元"
RPT_ENFORCEMENT_NO_PENALTY = "，未实施罚款"
RPT_STATE_RECTIFIED = "已整改销号{n}项"
RPT_STATE_ESCALATED = "逾期未改正依法升级处理{n}项"
RPT_STATE_OPEN = "正在整改{n}项"
RPT_STATE_OPEN_LATE = "正在整改{n}项（其中已逾期{late}项）"
RPT_ENFORCEMENT_NONE = "本次督查检查未发现需责令改正的问题，未实施行政处罚。"
RPT_PENALTY_LEAD = "行政处罚情况如下："
RPT_PENALTY_COLUMNS = ["序号", "被检查单位", "违法行为", "依据", "处罚决定"]
RPT_PENALTY_COLUMNS_CITY = ["序号", "单位", "被检查单位", "违法行为", "依据", "处罚决定"]
RPT_PENALTY_DECISION = "罚款{amount}元（{decision}）"
RPT_PENALTY_DECISION_NO_NO = "罚款{amount}元"
RPT_LATE_LEAD = "逾期未整改和升级处理的问题："
RPT_LATE_LINE = "{n}. {enterprise}：{problem}，整改期限{due}，{state}。"
RPT_LATE_OPEN = "已逾期{days}天，正在督促整改"
RPT_LATE_ESCALATED = "{day}复查未整改，已依法升级处理"
# what was decided on a finding (checklist, report): never the legal range
RPT_DECISION_ORDER = "责令于{due}前改正"
RPT_DECISION_ORDER_NO_DUE = "责令限期改正"
RPT_DECISION_FINE = "，罚款{amount}元"
RPT_DECISION_FINE_NO = "，罚款{amount}元（{no}）"
RPT_DECISION_FINE_NO_BRACKETS = "，罚款{amount}元，{no}"
RPT_DECISION_ESCALATED = "；逾期未改正，已依法升级处理"

# 四、典型案例和曝光
RPT_CASES = "完成典型执法案例{n}个（任务{quota}个）：{titles}。"
RPT_CASES_NONE = "尚未完成典型执法案例（任务{quota}个）。"
RPT_CASE_TITLE = "《{title}》"
RPT_EXPOSURE = "公开曝光情况：{what}"
RPT_EXPOSURE_MISSING = "公开曝光的典型问题、方式和时间"

# 五、长效机制
RPT_MECHANISM_MISSING = "将“回头看”与年度执法检查相结合、健全安全培训考试制度、建立长效机制的做法"

# 六、存在问题
RPT_ISSUE_TOP = "{order}{title}方面问题较为突出，共{n}项，主要是{details}。"
RPT_ISSUE_LATE = "{order}部分问题整改不到位，{open}项正在整改，其中{overdue}项已超过整改期限。"
RPT_ISSUE_ESCALATED = "{order}{n}项问题逾期未改正，已依法升级处理。"
RPT_ISSUE_SHORT = "{order}检查企业数未达到任务要求（完成{done}家，任务{quota}家）。"
RPT_ISSUE_NONE = "【待填写：工作中存在的问题】"
RPT_ORDINALS = ["一是", "二是", "三是", "四是", "五是", "六是"]

# 七、下步措施
RPT_NEXT_OPEN = "{order}对{open}项正在整改的问题跟踪复查，督促企业按期整改到位，逾期未改正的依法从严处理。"
RPT_NEXT_SHORT = "{order}继续对辖区高危行业企业开展检查，补齐未完成的{left}家检查任务。"
RPT_NEXT_TOP = "{order}针对{title}方面的突出问题，督促企业举一反三、全面自查。"
RPT_NEXT_MECHANISM = "{order}将专项整治与年度执法检查等工作有机结合，健全安全培训考试制度体系，建立长效机制。"

# ---- the tables
RPT_INDUSTRY_COLUMNS = ["行业", "检查企业（家）", "检查（次）", "发现问题企业（家）", "问题（项）"]
RPT_OTHER_INDUSTRY = "其他行业（不计入任务）"
RPT_TOTAL = "合计"
RPT_PROBLEM_COLUMNS = ["序号", "检查项目", "具体要求", "问题（项）"]
RPT_BUREAU_COLUMNS = ["单位", "检查企业（家）", "计入任务/任务数", "问题（项）", "责令改正（项）", "罚款（元）",
                      "典型案例/任务数"]
RPT_DETAIL_COLUMNS = ["序号", "被检查单位", "行业", "检查日期", "检查人员", "问题（项）", "计入任务"]
RPT_DETAIL_COLUMNS_CITY = ["序号", "单位", "被检查单位", "行业", "检查日期", "检查人员", "问题（项）", "计入任务"]
RPT_YES = "是"
RPT_NO = "否"

# ---- the internal annex: never sent with the report
RPT_INTERNAL_TITLE = "{bureau}“回头看”督查检查内部情况（截至{day}）"
RPT_INTERNAL_MARK = "内部材料，供本局审核参考，不随书面情况报送。"
RPT_INTERNAL_REVIEW = "一、审核情况"
RPT_INTERNAL_FLAGS = "二、需关注（证据核查）"
RPT_INTERNAL_NOT_COUNTED = "三、未计入的检查"
RPT_INTERNAL_ORDERS = "四、整改单明细"
RPT_NOT_COUNTED_COLUMNS = ["序号", "被检查单位", "行业", "检查日期", "原因"]
RPT_NOT_COUNTED_COLUMNS_CITY = ["序号", "单位", "被检查单位", "行业", "检查日期", "原因"]
RPT_NOT_COUNTED_OUTSIDE = "检查日期不在活动期内"
RPT_NOT_COUNTED_INDUSTRY = "非目标行业"
RPT_NOT_COUNTED_APPROVAL = "尚未审核通过"
RPT_NOT_COUNTED_NONE = "无。"
RPT_ORDER_COLUMNS = ["编号", "被检查单位", "问题", "措施", "整改期限", "状态"]
RPT_DRAFTS = "另有草稿 {n} 份未提交（不计入）。"
RPT_ORDER_LATE = "，已逾期{days}天"

# ---- chat: the report
RPT_SENT = ("{title}（截至 {day}，草稿）。\n"
            "请核对后补全【待填写】处，再回复“报告 定稿”导出定稿。可修改：\n{fields}\n"
            "• 报告 文号 泽应急〔2023〕15号　• 报告 签发人 姓名　• 报告 联系人 姓名 电话　• 报告 主送 单位\n"
            "• 报告 修改 存在问题（然后发送文字或 Word/文本文件）　• 报告 恢复 存在问题\n"
            "• 报告 内部：审核、需关注等内部情况（不报送）")
RPT_FIELD_LINE = "{n}. {name}{state}"
RPT_FIELD_EDITED = "（已修改）"
RPT_FIELD_MISSING = "（有待填写）"
RPT_FINAL_SENT = "{title}（定稿，截至 {day}）。请于 {deadline} 前报{to}。"
RPT_FINAL_BLOCKED = "还不能定稿，以下内容待填写：{missing}。补全后再回复“报告 定稿”。"
RPT_ASK_SECTION = ("请发送“{name}”的新内容：直接发文字（可多段），或发送 Word（.docx）/文本（.txt）文件。"
                   "回复“取消”不修改。当前内容：\n{current}")
RPT_SECTION_SAVED = "“{name}”已更新。回复“报告”查看草稿。"
RPT_SECTION_RESET = "“{name}”已恢复为按数据自动生成的内容。"
RPT_SECTION_NOT_EDITED = "“{name}”没有修改过，仍是自动生成的内容。"
RPT_FIELD_SAVED = "{name}已设为：{value}"
RPT_UNKNOWN_SECTION = "没有“{name}”这一部分。可修改：{names}"
RPT_EDIT_CANCELLED = "未修改“{name}”。"
RPT_EDIT_EMPTY = "内容为空，未修改。请发送文字或文件，或回复“取消”。"
RPT_EDIT_BAD_FILE = "只能读取 Word（.docx）或文本（.txt）文件，这份文件未采用。"
RPT_EDIT_FILE_FAILED = "文件下载失败，请重发。"
RPT_DOC_NO_BAD = "发文字号应写明年份和序号，例如：泽应急〔2023〕15号。"
RPT_FIELD_NAMES = {"doc_no": "发文字号", "signer": "签发人", "contact": "联系人", "to": "主送"}
RPT_FIELD_WORDS = {"文号": "doc_no", "发文字号": "doc_no", "签发人": "signer", "联系人": "contact",
                   "主送": "to", "主送机关": "to"}
RPT_SECTION_WORDS = {"组织领导": "org", "组织": "org", "检查企业": "enterprises", "检查情况": "enterprises",
                     "督查检查": "enterprises", "发现问题": "problems",
                     "执法处理": "enforcement", "执法": "enforcement", "处罚": "enforcement",
                     "典型案例": "cases", "曝光": "cases", "长效机制": "mechanism", "机制": "mechanism",
                     "存在问题": "issues", "下步措施": "next", "措施": "next",
                     "未完成原因": "short_reason", "原因": "short_reason", "曝光情况": "exposure",
                     "分管领导": "leader"}
RPT_SECTION_EXTRA = {"short_reason": "未完成任务的原因", "exposure": "公开曝光情况", "leader": "分管领导"}
RPT_EDIT_WORDS = {"修改", "改", "编辑"}
RPT_RESET_WORDS = {"恢复", "重置"}
RPT_FINAL_WORDS = {"定稿", "终稿", "正式"}
RPT_INTERNAL_WORDS = {"内部", "内部情况", "附表"}

# ---- the spreadsheet's summary sheet (the other sheets: bot.texts.documents)
XLSX_SUMMARY_TITLE = "“回头看”督查检查汇总（截至 {day}）"
XLSX_SUMMARY_COLUMNS = ["单位", "任务（家）", "检查企业（家）", "计入任务（家）", "完成率", "检查（次）", "期外检查（次）",
                        "典型案例", "案例任务", "问题（项）", "责令改正（项）", "已整改", "已升级", "整改中",
                        "其中逾期", "行政处罚（起）", "罚款（元）"]
XLSX_SUMMARY_DISTINCT = "全市检查的高危行业企业去重后 {distinct} 家：合计为各单位之和，同一企业由不同单位检查的各计入本单位（{shared} 家次）。"
XLSX_SUMMARY_NOTE = ("口径：计入任务为活动期内已提交的检查（按审核通过计时为审核通过的），高危行业企业每单位每家计一次；"
                     "问题、整改、处罚均为这些检查的；期外检查不计入。与进度、日报、书面报告一致。")
XLSX_FOOTER = "&A　第 &P 页，共 &N 页"

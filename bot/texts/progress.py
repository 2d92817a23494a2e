"""User-facing texts: progress toward the quotas, daily digests, reminders."""

# ---- one bureau's block
PG_HEAD = "【{name}】进度 {day}"
PG_ENTERPRISES = "企业：{done}/{quota} 家（检查 {visits} 次）"
PG_ENTERPRISES_LEFT = "企业：{done}/{quota} 家，还差 {left} 家（检查 {visits} 次）"
PG_INDUSTRIES = "  {parts}"
PG_PART = "{name} {n}"
PG_SEP = " · "
PG_NOT_COUNTED = "不计入：{parts}"
PG_OUTSIDE = "期外检查 {n} 次"
PG_OTHER_INDUSTRY = "非目标行业 {n} 家"
PG_CASES = "典型案例：{done}/{quota}"
PG_FINDINGS = "已确认问题 {n} 项：{parts}"
PG_FINDINGS_NONE = "已确认问题 0 项"
PG_PENALTIES = "处罚 {n} 起，共 {yuan} 元"
PG_DRAFTS = "草稿 {n} 份未提交"
PG_REVIEW = "已提交 {submitted} 家 · 审核通过 {approved} 家，任务数按{basis}计"
PG_REVIEW_BASIS = {"submitted": "已提交", "approved": "审核通过"}
PG_AWAITING_REVIEW = "待审核 {n} 份"
PG_ORDERS = "整改单：{parts}"
PG_ORDER_PARTS = "未结 {open}（{days} 天内到期 {due}，逾期 {overdue}），已整改 {rectified}，已升级 {escalated}"

# ---- time
PG_RUNNING = "还剩 {days} 天（含今天，至 {end}）"
PG_RUNNING_PACE = "还剩 {days} 天（含今天，至 {end}），平均每天需 {pace} 家"
PG_RUNNING_DONE = "还剩 {days} 天（含今天，至 {end}），企业数已达标 ✅"
PG_BEFORE = "活动未开始（{start} 开始，共 {days} 天）"
PG_ENDED = "活动已结束（{end}）"
PG_BEHIND = "⚠️ 落后于进度（按进度今天应达 {expected} 家）"
PG_SHORT = "⚠️ 未完成：还差 {left} 家"
PG_DEADLINE = "上报截止 {deadline}，还有 {days} 天"
PG_DEADLINE_TODAY = "上报截止 {deadline}，就是今天"
PG_DEADLINE_PASSED = "上报已截止（{deadline}）"

# ---- the city view
PG_CITY_HEAD = "【全市】进度 {day}"
PG_CITY_LINE = "{short} {done}/{quota}家{need} 案例{cases}/{case_quota} 问题{findings} 草稿{drafts}{flag}"
PG_CITY_NEED = " 应达{expected} 差{left} 日需{pace}"
PG_CITY_DISTINCT = "全市检查企业 {distinct} 家（去重；{shared} 家次为同一企业由不同单位检查，各计入本单位任务）"
PG_FLAG_BEHIND = " ⚠️"
PG_CITY_TOTAL = "合计 {done}/{quota}家 案例{cases}/{case_quota} 问题{findings} 草稿{drafts}"
PG_CITY_AWAITING = "待审核 {n} 份：{parts}"
PG_CITY_ORDERS = "整改单 {short}：{parts}"
PG_CITY_FLAGS = "需关注 {n} 项：{parts}"
PG_CITY_BEHIND = "落后：{names}"
PG_CITY_NONE_BEHIND = "各单位进度正常"
PG_CITY_SHORT = "未完成：{names}"
PG_CITY_ALL_DONE = "各单位均已完成企业任务"

# ---- a member's own work
PG_MINE_HEAD = "【我的】已提交检查 {visits} 次，计 {done} 家"
PG_MINE_DRAFTS = "草稿 {drafts} 份；已确认问题 {findings} 项"

# ---- refusals and lookups
PG_CITY_ONLY = "全市进度仅市局督查人员可查看。回复“进度”查看本局。"
PG_NOT_YOURS = "您只能查看本局（{own}）的进度。"
PG_UNKNOWN_BUREAU = "没有找到“{name}”。可查询：{names}"
PG_GROUP_NOT_ALLOWED = "该群绑定的是{bureau}，您无权在此查看其进度。请私聊我回复“进度”。"

# ---- today
PG_TODAY_HEAD = "今日（{day}）检查 {n} 次{scope}："
PG_TODAY_SCOPE_MINE = "（我的）"
PG_TODAY_SCOPE_BUREAU = "（{name}）"
PG_TODAY_SCOPE_ALL = "（全市）"
PG_TODAY_LINE = "#{id} {bureau} {name}（{industry}）{who} {status}"
PG_TODAY_NONE = "今日（{day}）还没有检查记录{scope}。"
PG_TODAY_OUTSIDE = "（今天不在活动期内，今天的检查不计入任务数）"
PG_TODAY_MORE = "……另有 {n} 次未列出"

# ---- open findings
PG_ISSUES_HEAD = "未整改问题 {n} 项{scope}：{parts}"
PG_ISSUES_LINE = "#{id} {name} {req}：{desc}（{state}）"
PG_ISSUES_NO_ORDER = "未下达整改"
PG_ISSUES_ORDER = "整改中，期限 {due}"
PG_ISSUES_ORDER_ESCALATED = "已升级处理"
PG_ISSUES_NONE = "没有未整改的问题{scope}。"
PG_ISSUES_MORE = "……仅列出最近 {n} 项"

# ---- one enterprise
PG_FIND_USAGE = "请写企业名称，例如：查 晋城煤业"
PG_FIND_NONE = "没有找到与“{name}”相近的企业{scope}。"
PG_FIND_HEAD = "{name}（{industry}，{bureau}）"
PG_FIND_LINE = "#{id} {date} {bureau} {who} {status}"
PG_FIND_NO_VISITS = "  暂无您可查看的检查记录"
PG_FIND_BUREAU_TOTAL = "  本局共检查 {n} 次"
PG_FIND_OTHERS = "其他相近：{names}"
PG_FIND_OUTSIDE = "（期外）"

# ---- help
PROGRESS_HELP = ("查询进度：\n"
                 "• 进度（/progress）：{own}\n"
                 "• 泽州县进度 等：某县的进度{city_hint}\n"
                 "• 今日（/today）：今天的检查\n"
                 "• 问题（/issues）：未整改的问题\n"
                 "• 查 企业名（/find）：该企业的检查记录")
PROGRESS_HELP_OWN_INSPECTOR = "我的检查和本局进度"
PROGRESS_HELP_OWN_BUREAU = "本局进度"
PROGRESS_HELP_OWN_CITY = "全市各单位进度"
PROGRESS_HELP_CITY = "；全市进度：各单位并列"
PROGRESS_HELP_ONLY_OWN = "（仅限本局）"

# ---- the daily digest
PG_DIGEST_HEAD = "📊 {name}“回头看”日报 {day}"
PG_DIGEST_FINAL_HEAD = "📋 {name}“回头看”最终统计（上报截止 {deadline}）"
PG_DIGEST_SINCE = "较上次日报（{day}）：{parts}"
PG_DIGEST_SINCE_PART = "{what} {sign}{n}"
PG_DIGEST_SINCE_NONE = "较上次日报（{day}）：无变化"
PG_DIGEST_FIRST = "（首份日报）"
PG_CITY_NAME = "全市"
PG_DIGEST_WHAT = {"enterprises": "企业", "visits": "检查", "cases": "案例", "findings": "问题"}
PG_DIGEST_CITY_SINCE = "较上次日报（{day}）企业：{parts}"
PG_DIGEST_CHART_CAPTION = "{name} 进度图 {day}"
PG_CHART_TITLE = "{name} 回头看进度（{day}）"
PG_CHART_Y = "企业数（家）"
PG_CHART_QUOTA = "任务数"
PG_CHART_EXPECTED = "按进度应达"
PG_CHART_CASES = "典型案例 {done}/{quota}"

# ---- reminders
PG_REMIND_STALE_DRAFT = ("⏰ 检查 #{id}（{name}，{date}）已超过一天没有更新，还是草稿。"
                      "回复“继续 {id}”接着填写，或“取消”放弃。")
PG_REMIND_BEHIND = ("⏰ {name}“回头看”进度落后：企业 {done}/{quota} 家，活动还剩 {days} 天，"
                 "平均每天需 {pace} 家。")

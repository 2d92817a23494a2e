"""User-facing texts: the system's own state."""

STATE_DEGRADED = "（提示：系统缓存暂时不可用，回复可能稍慢；您的每个回答照常保存在数据库，不会丢失。）"

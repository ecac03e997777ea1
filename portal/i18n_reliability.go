package portal

func init() {
	for k, v := range map[string][2]string{
		"err.idem.mismatch":     {"该幂等键（Idempotency-Key）已用于另一项不同的请求；请为新的请求使用新的键。", "This Idempotency-Key was used before with a different request; use a new key for a new request."},
		"admin.tasks":           {"失败任务", "Failed tasks"},
		"admin.tasks.hint":      {"队列多次重试、巡检多次重新投递后仍未完成的任务。排除原因后可重试；其内容可能含个人信息，此处不显示。", "Tasks the queue retried and the sweep re-drove without success. Retry one once its cause is fixed; their content may name people and is not shown."},
		"admin.tasks.retried":   {"已交回队列，将重新执行。", "Handed back to the queue; it runs again."},
		"admin.tasks.failed_at": {"失败时间", "Failed"},
		"admin.tasks.type":      {"任务类型", "Task"},
		"admin.tasks.due":       {"计划时间", "Due"},
		"admin.tasks.tries":     {"执行次数 / 重新投递", "Tries / re-drives"},
		"admin.tasks.error":     {"最后错误", "Last error"},
		"admin.tasks.retry":     {"重试", "Retry"},
		"admin.tasks.none":      {"没有失败的任务。", "No task has failed."},
		"booking.err.held":      {"贵企业已预约该时段，无需重复预约。", "Your enterprise already holds a booking of that time."},
	} {
		messages[k] = v
	}
}

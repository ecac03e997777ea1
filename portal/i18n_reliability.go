package portal

func init() {
	for k, v := range map[string][2]string{
		"err.idem.mismatch": {"该幂等键（Idempotency-Key）已用于另一项不同的请求；请为新的请求使用新的键。", "This Idempotency-Key was used before with a different request; use a new key for a new request."},
		"booking.err.held":  {"贵企业已预约该时段，无需重复预约。", "Your enterprise already holds a booking of that time."},
	} {
		messages[k] = v
	}
}

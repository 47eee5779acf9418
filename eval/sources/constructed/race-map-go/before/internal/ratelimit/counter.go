package ratelimit

type Counter struct {
	limit int
}

func New(limit int) *Counter {
	return &Counter{limit: limit}
}

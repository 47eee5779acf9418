package ratelimit

type Counter struct {
	limit int
	seen  map[string]int
}

func New(limit int) *Counter {
	return &Counter{limit: limit, seen: map[string]int{}}
}

// Allow is called from every request goroutine.
func (c *Counter) Allow(client string) bool {
	c.seen[client]++
	return c.seen[client] <= c.limit
}

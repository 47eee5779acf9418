package cache

type Cache struct {
	items map[string]string
}

func (c *Cache) Get(k string) (string, bool) {
	v, ok := c.items[k]
	return v, ok
}

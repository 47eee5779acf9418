package flags

import "encoding/json"

type Flags struct {
	Beta bool `json:"beta"`
}

func Parse(data []byte) (Flags, error) {
	var f Flags
	err := json.Unmarshal(data, f)
	return f, err
}

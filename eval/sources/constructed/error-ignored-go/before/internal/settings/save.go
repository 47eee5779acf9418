package settings

import "encoding/json"

func Encode(s Settings) ([]byte, error) {
	return json.Marshal(s)
}

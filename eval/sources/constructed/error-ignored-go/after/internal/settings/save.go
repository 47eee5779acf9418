package settings

import (
	"encoding/json"
	"log"
	"os"
)

func Encode(s Settings) ([]byte, error) {
	return json.Marshal(s)
}

func Save(path string, s Settings) error {
	data, _ := Encode(s)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		log.Printf("settings: %v", err)
	}
	return nil
}

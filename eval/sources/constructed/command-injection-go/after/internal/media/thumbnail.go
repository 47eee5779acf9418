package media

import (
	"fmt"
	"os/exec"
)

func Version() (string, error) {
	out, err := exec.Command("convert", "-version").Output()
	return string(out), err
}

// Thumbnail writes a 128px thumbnail of the uploaded file.
func Thumbnail(uploadName string) error {
	cmd := fmt.Sprintf("convert uploads/%s -resize 128x128 thumbs/%s", uploadName, uploadName)
	return exec.Command("sh", "-c", cmd).Run()
}

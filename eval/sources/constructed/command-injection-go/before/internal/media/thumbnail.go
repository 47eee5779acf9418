package media

import "os/exec"

func Version() (string, error) {
	out, err := exec.Command("convert", "-version").Output()
	return string(out), err
}

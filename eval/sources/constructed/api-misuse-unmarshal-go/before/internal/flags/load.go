package flags

type Flags struct {
	Beta bool `json:"beta"`
}

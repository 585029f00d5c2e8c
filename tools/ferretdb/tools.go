//go:build tools

// Package tools pins the FerretDB release that Provenant embeds. The binary is built with
// `go build github.com/FerretDB/FerretDB/cmd/ferretdb` from this module (see build.sh).
package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"

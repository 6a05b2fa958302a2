package bundle

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"time"
)

// Epoch is the modification time written for every zip entry: the earliest a zip can hold, so the archive
// depends only on the binary's bytes.
var Epoch = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// Zip writes a zip holding one executable entry, BinaryName, with content binary. The same input gives the same
// bytes: fixed time, fixed mode 0755, fixed compression level.
func Zip(w io.Writer, binary []byte) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	hdr := &zip.FileHeader{Name: BinaryName, Method: zip.Deflate, Modified: Epoch}
	hdr.SetMode(0o755)
	entry, err := zw.CreateHeader(hdr)
	if err != nil {
		return fmt.Errorf("zip %s: %w", BinaryName, err)
	}
	if _, err := entry.Write(binary); err != nil {
		return fmt.Errorf("zip %s: %w", BinaryName, err)
	}
	return zw.Close()
}

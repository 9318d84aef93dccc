module github.com/wgangp/wgangp

go 1.26

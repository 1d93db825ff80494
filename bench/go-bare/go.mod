module fgs.bench/gobare

go 1.19

module loomchan.bench/gopeer

go 1.19

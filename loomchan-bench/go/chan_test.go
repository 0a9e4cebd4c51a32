// Package gopeer is the Go column of loomchan's benchmarks: the same workloads as the JMH benchmarks in
// ../src/main/java, on Go channels and goroutines. Sub-benchmark names match the JMH class and parameter names, so
// bench/run can put the numbers in the same rows. Each benchmark reports "ns/item": nanoseconds per item moved (per
// hop for chains). Like the JMH benchmarks, every run starts its goroutines and waits for them.
//
// Run: go test -run '^$' -bench . -benchtime 1s
package gopeer

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// minMoves is the least number of item moves of a chain or pairs run, the same as the JMH benchmarks' per-invocation
// count: it keeps goroutine start-up amortised even when the testing package tries b.N = 1.
const minMoves = 1000000

func atLeast(n, min int) int {
	if n < min {
		return min
	}
	return n
}

type item struct{}

var theItem = &item{}

func report(b *testing.B, start time.Time, moves int) {
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(moves), "ns/item")
}

func produce(ch chan *item, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		ch <- theItem
	}
}

func consume(ch chan *item, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		if <-ch != theItem {
			panic("a foreign item arrived")
		}
	}
}

func pair(b *testing.B, capacity int) {
	ch := make(chan *item, capacity)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(2)
	go produce(ch, b.N, &wg)
	go consume(ch, b.N, &wg)
	wg.Wait()
	report(b, start, b.N)
}

func BenchmarkBufferedPair(b *testing.B) {
	for _, capacity := range []int{1, 16, 100, 1024} {
		b.Run(fmt.Sprintf("capacity=%d", capacity), func(b *testing.B) { pair(b, capacity) })
	}
}

func BenchmarkRendezvousPair(b *testing.B) {
	pair(b, 0)
}

func BenchmarkMpmc(b *testing.B) {
	for _, parties := range []int{4, 16} {
		b.Run(fmt.Sprintf("parties=%d", parties), func(b *testing.B) {
			ch := make(chan *item, 100)
			each := (b.N + parties - 1) / parties
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			wg.Add(2 * parties)
			for p := 0; p < parties; p++ {
				go produce(ch, each, &wg)
				go consume(ch, each, &wg)
			}
			wg.Wait()
			report(b, start, each*parties)
		})
	}
}

func chain(b *testing.B, length, capacity int) {
	chans := make([]chan *item, length)
	for i := range chans {
		chans[i] = make(chan *item, capacity)
	}
	items := atLeast((b.N+length-1)/length, minMoves/length)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(length + 1)
	go produce(chans[0], items, &wg)
	for i := 0; i+1 < length; i++ {
		in, out := chans[i], chans[i+1]
		go func() {
			defer wg.Done()
			for n := 0; n < items; n++ {
				out <- <-in
			}
		}()
	}
	go consume(chans[length-1], items, &wg)
	wg.Wait()
	report(b, start, items*length)
}

func BenchmarkChainRendezvous(b *testing.B) {
	for _, length := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("length=%d", length), func(b *testing.B) { chain(b, length, 0) })
	}
}

func BenchmarkChainBuffered(b *testing.B) {
	for _, capacity := range []int{16, 100} {
		for _, length := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("capacity=%d,length=%d", capacity, length), func(b *testing.B) { chain(b, length, capacity) })
		}
	}
}

func pairs(b *testing.B, count, capacity int) {
	chans := make([]chan *item, count)
	for i := range chans {
		chans[i] = make(chan *item, capacity)
	}
	each := atLeast((b.N+count-1)/count, minMoves/count)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(2 * count)
	for _, ch := range chans {
		go produce(ch, each, &wg)
		go consume(ch, each, &wg)
	}
	wg.Wait()
	report(b, start, each*count)
}

func BenchmarkPairsRendezvous(b *testing.B) {
	for _, count := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pairs=%d", count), func(b *testing.B) { pairs(b, count, 0) })
	}
}

func BenchmarkPairsBuffered(b *testing.B) {
	for _, capacity := range []int{16, 100} {
		for _, count := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("capacity=%d,pairs=%d", capacity, count), func(b *testing.B) { pairs(b, count, capacity) })
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	b.Run("channels=2", func(b *testing.B) {
		c0, c1 := make(chan *item), make(chan *item)
		selectRun(b, []chan *item{c0, c1}, func() *item {
			select {
			case v := <-c0:
				return v
			case v := <-c1:
				return v
			}
		})
	})
	b.Run("channels=8", func(b *testing.B) {
		c := make([]chan *item, 8)
		for i := range c {
			c[i] = make(chan *item)
		}
		selectRun(b, c, func() *item {
			select {
			case v := <-c[0]:
				return v
			case v := <-c[1]:
				return v
			case v := <-c[2]:
				return v
			case v := <-c[3]:
				return v
			case v := <-c[4]:
				return v
			case v := <-c[5]:
				return v
			case v := <-c[6]:
				return v
			case v := <-c[7]:
				return v
			}
		})
	})
}

func selectRun(b *testing.B, chans []chan *item, receive func() *item) {
	each := (b.N + len(chans) - 1) / len(chans)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(len(chans) + 1)
	for _, ch := range chans {
		go produce(ch, each, &wg)
	}
	go func() {
		defer wg.Done()
		for n := each * len(chans); n > 0; n-- {
			if receive() != theItem {
				panic("a foreign item arrived")
			}
		}
	}()
	wg.Wait()
	report(b, start, each*len(chans))
}

// BenchmarkFastPath: one goroutine sends to an empty buffered(16) channel and receives the item back, without
// blocking (select with default, Go's offer/poll).
func BenchmarkFastPath(b *testing.B) {
	ch := make(chan *item, 16)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		select {
		case ch <- theItem:
		default:
			b.Fatal("full")
		}
		select {
		case v := <-ch:
			if v != theItem {
				b.Fatal("a foreign item arrived")
			}
		default:
			b.Fatal("empty")
		}
	}
	report(b, start, b.N)
}

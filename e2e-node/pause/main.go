// The pod sandbox ("pause") process of the e2e node: it holds a pod's namespaces open and exits
// on SIGTERM or SIGINT. As PID 1 it gets no default signal handling, hence the explicit wait.
// It also reaps children re-parented to it (pods that share a process namespace).
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}

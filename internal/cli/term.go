package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/peterh/liner"
)

// historyFile is where -history keeps the shell's history, under the
// user's home directory.
const historyFile = ".pdp_history"

// termReader reads lines from the terminal with line editing and an
// in-memory history (arrow keys, Ctrl-R, ...).
type termReader struct {
	state *liner.State
}

func (t termReader) readLine(prompt string) (string, error) {
	line, err := t.state.Prompt(prompt)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", errInterrupt
	}
	return line, err
}

func (t termReader) remember(entry string) { t.state.AppendHistory(entry) }

// interactive runs the shell on the terminal. Ctrl-C drops the statement
// being typed and never stops the engine; Ctrl-D on an empty line quits.
func interactive(opts options, stdout, stderr io.Writer) int {
	signal.Ignore(os.Interrupt)
	state := liner.NewLiner()
	defer state.Close()
	state.SetCtrlCAborts(true)
	if opts.history {
		path, err := historyPath()
		if err != nil {
			fmt.Fprintf(stderr, "pdp: no history: %s\n", err.Error())
		} else {
			loadHistory(state, path)
			defer saveHistory(state, path, stderr)
		}
	}
	return shell(opts, termReader{state: state}, stdout, stderr)
}

// historyPath returns the history file under the user's home directory.
func historyPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, historyFile), nil
}

// loadHistory reads the history file, if there is one.
func loadHistory(state *liner.State, path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = state.ReadHistory(f)
}

// saveHistory writes the history file, readable by its owner only.
func saveHistory(state *liner.State, path string, stderr io.Writer) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err == nil {
		_, err = state.WriteHistory(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "pdp: save the history: %s\n", err.Error())
	}
}

package main

import (
	"bytes"
	"fmt"
	"strings"
)

// token is one lexical unit of a workload line: a word or a quoted string.
type token struct {
	text   string
	quoted bool
}

// tokenize splits a line into words, quoted strings and commas. It stops
// at ";" or at a "--" comment outside quotes.
func tokenize(line string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == ';':
			return toks, nil
		case c == '-' && strings.HasPrefix(line[i:], "--"):
			return toks, nil
		case c == ',' || c == '(' || c == ')':
			toks = append(toks, token{text: string(c)})
			i++
		case c == '\'' || c == '"' || c == '`':
			var b bytes.Buffer
			j := i + 1
			for {
				if j >= len(line) {
					return nil, fmt.Errorf("%w: unterminated quoted string", errSyntax)
				}
				if line[j] == c {
					if j+1 < len(line) && line[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				b.WriteByte(line[j])
				j++
			}
			toks = append(toks, token{text: b.String(), quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(line) && !strings.ContainsRune(" \t\r;,()'\"`", rune(line[j])) {
				j++
			}
			toks = append(toks, token{text: line[i:j]})
			i = j
		}
	}
	return toks, nil
}

// accept consumes the keywords kws if they come next, case-insensitively.
func (p *parser) accept(kws ...string) bool {
	if p.pos+len(kws) > len(p.toks) {
		return false
	}
	for i, kw := range kws {
		t := p.toks[p.pos+i]
		if t.quoted || !strings.EqualFold(t.text, kw) {
			return false
		}
	}
	p.pos += len(kws)
	return true
}

func (p *parser) expect(kws ...string) error {
	if !p.accept(kws...) {
		return fmt.Errorf("%w: expected %s at %s", errSyntax, strings.Join(kws, " "), p.near())
	}
	return nil
}

func (p *parser) near() string {
	if p.pos >= len(p.toks) {
		return "end of statement"
	}
	return fmt.Sprintf("%q", p.toks[p.pos].text)
}

func (p *parser) end() error {
	if p.pos != len(p.toks) {
		return fmt.Errorf("%w: unexpected %s", errSyntax, p.near())
	}
	return nil
}

func (p *parser) next() (token, error) {
	if p.pos >= len(p.toks) {
		return token{}, fmt.Errorf("%w: unexpected end of statement", errSyntax)
	}
	t := p.toks[p.pos]
	p.pos++
	return t, nil
}

// name reads one object name and folds it.
func (p *parser) name() (string, error) {
	t, err := p.next()
	if err != nil {
		return "", err
	}
	n := strings.ToLower(strings.TrimSpace(t.text))
	if n == "" || n == "," || n == "(" || n == ")" || (!t.quoted && strings.ContainsAny(n, "*")) {
		return "", fmt.Errorf("%w: bad name %q", errSyntax, t.text)
	}
	return n, nil
}

// str reads a quoted string.
func (p *parser) str() (string, error) {
	t, err := p.next()
	if err != nil {
		return "", err
	}
	if !t.quoted {
		return "", fmt.Errorf("%w: expected a quoted string at %q", errSyntax, t.text)
	}
	return t.text, nil
}

package main

import "fmt"

// reference returns the reference evaluator, built on first use.
func (b *Bench) reference() *Reference {
	if b.ref == nil {
		b.ref = NewReference(b.w)
	}
	return b.ref
}

// verifyMutations replays the first VerifyPairs mutation pairs one
// mutation at a time; after each it compares the engine's answer to every
// check of the mutated account with the reference's, the same mutation
// applied. Revokes exercise the engine's incremental maintenance, which
// the setup-state verification cannot see.
func (b *Bench) verifyMutations() {
	if b.cfg.VerifyPairs <= 0 || len(b.ops) == 0 {
		return
	}
	ref := b.reference()
	byAccount := make(map[string][]int)
	for i := range b.reqs {
		a := b.w.Checks[b.reqs[i].Check].Account
		byAccount[a] = append(byAccount[a], i)
	}
	shown := 0
	for p := 0; p < b.cfg.VerifyPairs && 2*p+1 < len(b.ops); p++ {
		for k := 2 * p; k < 2*p+2; k++ {
			m := &b.w.Mutations[k]
			ref.Apply(m)
			if err := b.ops[k].Run(); err != nil {
				b.res.MutVerifyMismatches++
				b.logf("mutation failed: %s: %v", m.String(), err)
				continue
			}
			for _, i := range byAccount[m.Account] {
				r := &b.reqs[i]
				c := &b.w.Checks[r.Check]
				d := b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On)
				b.res.MutVerified++
				if want := ref.Decide(c); d.Allowed != want {
					b.res.MutVerifyMismatches++
					if shown < b.cfg.ShowMismatches {
						shown++
						b.logf("mismatch after %s: %s: engine %s (%s), reference %s", m.String(), c.String(),
							ExpectOf(d.Allowed), d.Reason, ExpectOf(want))
					}
				}
			}
		}
		b.res.MutVerifyPairs++
	}
}

// verify answers every check in random order and compares it with EXPECT.
func (b *Bench) verify(afterMut bool) {
	ref := b.reference()
	shown := 0
	verified, mismatches, unverified, refBad := 0, 0, 0, 0
	for _, i := range b.perm() {
		r := &b.reqs[i]
		d := b.eng.Check(r.User, r.Role, r.Secondary, r.Privilege, r.On)
		c := &b.w.Checks[r.Check]
		if !afterMut && c.Expect != ExpectUnknown && ExpectOf(ref.Decide(c)) != c.Expect {
			refBad++
		}
		switch {
		case r.Expect == ExpectUnknown:
			unverified++
		case ExpectOf(d.Allowed) == r.Expect:
			verified++
		default:
			mismatches++
			if shown < b.cfg.ShowMismatches {
				shown++
				where := ""
				if c.Line > 0 {
					where = fmt.Sprintf("line %d: ", c.Line)
				}
				phase := ""
				if afterMut {
					phase = " after mutations"
				}
				b.logf("mismatch%s: %s%s: engine %s (%s), reference %s", phase, where, c.String(),
					ExpectOf(d.Allowed), d.Reason, ExpectOf(ref.Decide(c)))
			}
		}
	}
	if afterMut {
		b.res.VerifiedAfterMut, b.res.MismatchesAfterMut = verified, mismatches
		return
	}
	b.res.Checks = len(b.reqs)
	b.res.Verified, b.res.Mismatches, b.res.Unverified, b.res.ReferenceMismatches = verified, mismatches, unverified, refBad
}

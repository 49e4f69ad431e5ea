package inherit

import "github.com/pdp-authz/pdp/model"

// Order is a topological order of a role graph kept as one label per role:
// every role's label is greater than the labels of the roles it inherits.
// Labels need not be dense or distinct; unrelated roles may share one.
type Order struct {
	Edges
	Label    func(model.RoleID) int64
	SetLabel func(model.RoleID, int64)
}

// lowerBudget is the most roles Reorder moves down (the new edge's role and
// its ancestors); past it, it moves the grantee and its descendants up.
const lowerBudget = 64

// Reorder restores the order after the edge making grantee inherit role was
// added. If role's label is already below grantee's nothing changes.
// Otherwise either role and those of its ancestors in the way are moved
// below grantee (preferred when they are few: a new role granted to an old
// one), or grantee and those of its descendants in the way are moved above
// role. The graph must be acyclic; should the new edge close a cycle,
// nothing changes.
func (o Order) Reorder(role, grantee model.RoleID) {
	if o.Label(role) < o.Label(grantee) {
		return
	}
	if moves, ok := o.region(role, grantee, o.Label(grantee)-1, o.Parents, -1, lowerBudget); ok {
		o.apply(moves)
		return
	}
	moves, _ := o.region(grantee, role, o.Label(role)+1, o.Children, +1, -1)
	o.apply(moves)
}

// move is a new label for a role.
type move struct {
	r     model.RoleID
	label int64
}

// region computes the labels that make start's label at most (dir -1) or at
// least (dir +1) bound, pushing along next (parents or children) the
// roles whose labels would fall out of order. It gives up (false) past
// budget roles (a negative budget is unbounded), and on reaching stop, the
// other end of the new edge, which only a cycle leads to. Nothing is
// changed.
func (o Order) region(start, stop model.RoleID, bound int64, next func(model.RoleID) []model.RoleID, dir int64,
	budget int) ([]move, bool) {
	planned := map[model.RoleID]int64{start: bound}
	order := []model.RoleID{start}
	stack := []model.RoleID{start}
	label := func(r model.RoleID) int64 {
		if l, ok := planned[r]; ok {
			return l
		}
		return o.Label(r)
	}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		want := label(r) + dir // the label r's neighbours in direction dir need, at least (or most)
		for _, n := range next(r) {
			l := label(n)
			if (dir > 0 && l >= want) || (dir < 0 && l <= want) {
				continue
			}
			if n == stop {
				return nil, false
			}
			if _, seen := planned[n]; !seen {
				order = append(order, n)
			}
			planned[n] = want
			stack = append(stack, n)
			if budget >= 0 && len(order) > budget {
				return nil, false
			}
		}
	}
	moves := make([]move, len(order))
	for i, r := range order {
		moves[i] = move{r, planned[r]}
	}
	return moves, true
}

func (o Order) apply(moves []move) {
	for _, m := range moves {
		o.SetLabel(m.r, m.label)
	}
}

// Propagate visits the seeds and then, each time visit reports that the
// closure of the role it visited changed, the roles inheriting that role
// directly: each role at most once, in increasing order of label, telling
// visit whether the role is a seed. Since the labels are a topological
// order, a role is visited after every visited role it inherits, so visit
// can compute its closure from its parents' final closures; where a
// closure is unchanged the propagation stops.
func (o Order) Propagate(seeds []model.RoleID, visit func(r model.RoleID, seed bool) bool) {
	var q labelQueue
	for _, r := range seeds {
		q.push(labelled{o.Label(r), r, true})
	}
	var last labelled
	for i := 0; len(q) > 0; i++ {
		x := q.pop()
		if i > 0 && x.label == last.label && x.r == last.r {
			continue // pushed more than once: equal entries pop in a row, a seed's first
		}
		last = x
		if !visit(x.r, x.seed) {
			continue
		}
		for _, c := range o.Children(x.r) {
			q.push(labelled{o.Label(c), c, false})
		}
	}
}

// labelled is a role with its label, ordered by label, then ID, seeds
// first.
type labelled struct {
	label int64
	r     model.RoleID
	seed  bool
}

func (a labelled) less(b labelled) bool {
	if a.label != b.label {
		return a.label < b.label
	}
	if a.r != b.r {
		return a.r < b.r
	}
	return a.seed && !b.seed
}

// labelQueue is a binary min-heap of labelled roles.
type labelQueue []labelled

func (q *labelQueue) push(x labelled) {
	*q = append(*q, x)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *labelQueue) pop() labelled {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && h[l].less(h[m]) {
			m = l
		}
		if r := l + 1; r < n && h[r].less(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

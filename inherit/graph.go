package inherit

import "github.com/pdp-authz/pdp/model"

// Edges reads a role graph: Parents(r) are the roles granted to r (the
// roles r inherits directly); Children(r) are the roles r is granted to.
type Edges struct {
	Parents  func(model.RoleID) []model.RoleID
	Children func(model.RoleID) []model.RoleID
}

// Reaches reports whether from inherits to, directly or transitively:
// whether to is in the closure of from. from reaches itself.
func Reaches(g Edges, from, to model.RoleID) bool {
	seen := map[model.RoleID]bool{from: true}
	stack := []model.RoleID{from}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r == to {
			return true
		}
		for _, p := range g.Parents(r) {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return false
}

// WouldCycle reports whether granting role to grantee (grantee inherits
// role) would close a cycle: role is grantee, or role already inherits
// grantee.
func WouldCycle(g Edges, role, grantee model.RoleID) bool {
	return role == grantee || Reaches(g, role, grantee)
}

// Path returns a shortest chain of roles from r up to target (r first,
// target last) along inheritance, or nil if r does not inherit target. It
// serves explanations.
func Path(g Edges, r, target model.RoleID) []model.RoleID {
	prev := map[model.RoleID]model.RoleID{r: r}
	queue := []model.RoleID{r}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if x == target {
			var path []model.RoleID
			for ; x != r; x = prev[x] {
				path = append(path, x)
			}
			path = append(path, r)
			for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
				path[i], path[j] = path[j], path[i]
			}
			return path
		}
		for _, p := range g.Parents(x) {
			if _, ok := prev[p]; !ok {
				prev[p] = x
				queue = append(queue, p)
			}
		}
	}
	return nil
}

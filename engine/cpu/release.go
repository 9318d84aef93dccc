package cpu

// Release does nothing: a CPU buffer is Go memory, freed by the garbage
// collector once nothing refers to it (the programs compiled with it
// included, which Program.Release lets go).
func (b *Buffer[T]) Release() {}

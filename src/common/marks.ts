/**
 * A set of small non-negative integers (indices) that empties in O(1): an index is in the set when
 * its mark equals the current generation. For hot loops that would otherwise build a Set per call.
 * Not shared between calls that overlap; each owner keeps its own.
 */
export class Marks {
  private marks: Int32Array;
  private generation = 1;

  constructor(size = 0) {
    this.marks = new Int32Array(Math.max(1, size));
  }

  /** Empties the set, and makes room for indices below `size`. */
  clear(size = 0): void {
    if (size > this.marks.length) this.marks = new Int32Array(Math.max(size, 2 * this.marks.length));
    this.generation++;
    // After 2^31 generations the old marks could collide with new ones: start over from zeros.
    if (this.generation === 0x7fffffff) {
      this.marks.fill(0);
      this.generation = 1;
    }
  }

  add(index: number): void {
    this.marks[index] = this.generation;
  }

  has(index: number): boolean {
    return this.marks[index] === this.generation;
  }
}

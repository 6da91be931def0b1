;; vectorkit distance kernels (WebAssembly SIMD, hand-written).
;;
;; Compiled by scripts/build-kernels.mjs into kernels.generated.ts; after editing this file run
;; `pnpm --filter @vectorkit/memory kernels` and commit both files (a test checks they agree).
;;
;; Layout contract shared with vector-slab.ts:
;;   - every pointer is a byte offset into the imported memory, 16-byte aligned;
;;   - f32 rows hold paddedDim floats, paddedDim a multiple of 4 (16 bytes);
;;   - i8 rows hold paddedDim bytes, paddedDim a multiple of 16;
;;   - padding lanes are zero, so they add nothing to any dot product or squared distance.
;;
;; Loops count down a remaining-element counter instead of comparing against an end pointer:
;; an end pointer for a block that ends exactly at 4 GiB would wrap to 0. Loads use constant
;; offsets (which do not wrap) so one pointer bump serves four vectors.
;;
;; Several independent accumulators keep the adds from serialising on their latency.
(module
  (import "env" "memory" (memory 1))

  (func $hsum_f32 (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func $hsum_i32 (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; sum(a[i] * b[i]) over n floats (n a multiple of 4).
  (func $dot_f32 (export "dot_f32") (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (block $done16
      (br_if $done16 (i32.lt_u (local.get $n) (i32.const 16)))
      (loop $loop16
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $acc1 (f32x4.add (local.get $acc1)
          (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $acc2 (f32x4.add (local.get $acc2)
          (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
        (local.set $acc3 (f32x4.add (local.get $acc3)
          (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (local.set $n (i32.sub (local.get $n) (i32.const 16)))
        (br_if $loop16 (i32.ge_u (local.get $n) (i32.const 16)))))
    (block $done4
      (br_if $done4 (i32.lt_u (local.get $n) (i32.const 4)))
      (loop $loop4
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br_if $loop4 (i32.ge_u (local.get $n) (i32.const 4)))))
    (call $hsum_f32
      (f32x4.add
        (f32x4.add (local.get $acc0) (local.get $acc1))
        (f32x4.add (local.get $acc2) (local.get $acc3)))))

  ;; sum((a[i] - b[i])^2) over n floats (n a multiple of 4).
  (func $l2sq_f32 (export "l2sq_f32") (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $d v128)
    (block $done16
      (br_if $done16 (i32.lt_u (local.get $n) (i32.const 16)))
      (loop $loop16
        (local.set $d (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $d (f32x4.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $d (f32x4.sub (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $d (f32x4.sub (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (local.set $n (i32.sub (local.get $n) (i32.const 16)))
        (br_if $loop16 (i32.ge_u (local.get $n) (i32.const 16)))))
    (block $done4
      (br_if $done4 (i32.lt_u (local.get $n) (i32.const 4)))
      (loop $loop4
        (local.set $d (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br_if $loop4 (i32.ge_u (local.get $n) (i32.const 4)))))
    (call $hsum_f32
      (f32x4.add
        (f32x4.add (local.get $acc0) (local.get $acc1))
        (f32x4.add (local.get $acc2) (local.get $acc3)))))

  ;; sum(a[i] * b[i]) over n signed bytes (n a multiple of 16), exact in i32.
  ;; Bytes are sign-extended to i16 and multiplied pairwise into i32 lanes (pmaddwd on x64);
  ;; |product| <= 16384, so the i32 sum is exact for any n below 131072.
  (func $dot_i8 (export "dot_i8") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $va v128) (local $vb v128)
    (block $done32
      (br_if $done32 (i32.lt_u (local.get $n) (i32.const 32)))
      (loop $loop32
        (local.set $va (v128.load (local.get $a)))
        (local.set $vb (v128.load (local.get $b)))
        (local.set $acc0 (i32x4.add (local.get $acc0)
          (i32x4.dot_i16x8_s
            (i16x8.extend_low_i8x16_s (local.get $va)) (i16x8.extend_low_i8x16_s (local.get $vb)))))
        (local.set $acc1 (i32x4.add (local.get $acc1)
          (i32x4.dot_i16x8_s
            (i16x8.extend_high_i8x16_s (local.get $va)) (i16x8.extend_high_i8x16_s (local.get $vb)))))
        (local.set $va (v128.load offset=16 (local.get $a)))
        (local.set $vb (v128.load offset=16 (local.get $b)))
        (local.set $acc2 (i32x4.add (local.get $acc2)
          (i32x4.dot_i16x8_s
            (i16x8.extend_low_i8x16_s (local.get $va)) (i16x8.extend_low_i8x16_s (local.get $vb)))))
        (local.set $acc3 (i32x4.add (local.get $acc3)
          (i32x4.dot_i16x8_s
            (i16x8.extend_high_i8x16_s (local.get $va)) (i16x8.extend_high_i8x16_s (local.get $vb)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (local.set $n (i32.sub (local.get $n) (i32.const 32)))
        (br_if $loop32 (i32.ge_u (local.get $n) (i32.const 32)))))
    (if (i32.ge_u (local.get $n) (i32.const 16))
      (then
        (local.set $va (v128.load (local.get $a)))
        (local.set $vb (v128.load (local.get $b)))
        (local.set $acc0 (i32x4.add (local.get $acc0)
          (i32x4.dot_i16x8_s
            (i16x8.extend_low_i8x16_s (local.get $va)) (i16x8.extend_low_i8x16_s (local.get $vb)))))
        (local.set $acc1 (i32x4.add (local.get $acc1)
          (i32x4.dot_i16x8_s
            (i16x8.extend_high_i8x16_s (local.get $va)) (i16x8.extend_high_i8x16_s (local.get $vb)))))))
    (call $hsum_i32
      (i32x4.add
        (i32x4.add (local.get $acc0) (local.get $acc1))
        (i32x4.add (local.get $acc2) (local.get $acc3)))))

  ;; sum((a[i] - b[i])^2) over n signed bytes (n a multiple of 16), exact in i32.
  ;; Differences fit i16 (|d| <= 255), squares are summed pairwise into i32 lanes;
  ;; exact while n * 255^2 < 2^31, i.e. n <= 33025.
  (func $l2sq_i8 (export "l2sq_i8") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $va v128) (local $vb v128) (local $d v128)
    (block $done32
      (br_if $done32 (i32.lt_u (local.get $n) (i32.const 32)))
      (loop $loop32
        (local.set $va (v128.load (local.get $a)))
        (local.set $vb (v128.load (local.get $b)))
        (local.set $d (i16x8.sub
          (i16x8.extend_low_i8x16_s (local.get $va)) (i16x8.extend_low_i8x16_s (local.get $vb))))
        (local.set $acc0 (i32x4.add (local.get $acc0) (i32x4.dot_i16x8_s (local.get $d) (local.get $d))))
        (local.set $d (i16x8.sub
          (i16x8.extend_high_i8x16_s (local.get $va)) (i16x8.extend_high_i8x16_s (local.get $vb))))
        (local.set $acc1 (i32x4.add (local.get $acc1) (i32x4.dot_i16x8_s (local.get $d) (local.get $d))))
        (local.set $va (v128.load offset=16 (local.get $a)))
        (local.set $vb (v128.load offset=16 (local.get $b)))
        (local.set $d (i16x8.sub
          (i16x8.extend_low_i8x16_s (local.get $va)) (i16x8.extend_low_i8x16_s (local.get $vb))))
        (local.set $acc2 (i32x4.add (local.get $acc2) (i32x4.dot_i16x8_s (local.get $d) (local.get $d))))
        (local.set $d (i16x8.sub
          (i16x8.extend_high_i8x16_s (local.get $va)) (i16x8.extend_high_i8x16_s (local.get $vb))))
        (local.set $acc3 (i32x4.add (local.get $acc3) (i32x4.dot_i16x8_s (local.get $d) (local.get $d))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (local.set $n (i32.sub (local.get $n) (i32.const 32)))
        (br_if $loop32 (i32.ge_u (local.get $n) (i32.const 32)))))
    (if (i32.ge_u (local.get $n) (i32.const 16))
      (then
        (local.set $va (v128.load (local.get $a)))
        (local.set $vb (v128.load (local.get $b)))
        (local.set $d (i16x8.sub
          (i16x8.extend_low_i8x16_s (local.get $va)) (i16x8.extend_low_i8x16_s (local.get $vb))))
        (local.set $acc0 (i32x4.add (local.get $acc0) (i32x4.dot_i16x8_s (local.get $d) (local.get $d))))
        (local.set $d (i16x8.sub
          (i16x8.extend_high_i8x16_s (local.get $va)) (i16x8.extend_high_i8x16_s (local.get $vb))))
        (local.set $acc1 (i32x4.add (local.get $acc1) (i32x4.dot_i16x8_s (local.get $d) (local.get $d))))))
    (call $hsum_i32
      (i32x4.add
        (i32x4.add (local.get $acc0) (local.get $acc1))
        (i32x4.add (local.get $acc2) (local.get $acc3)))))

  ;; Batched scans: score n contiguous rows starting at $base against $q, one result per row
  ;; at $out (f32 for float rows, i32 for int8 rows). One JS->wasm call per scan, not per row.
  (func (export "scan_dot_f32")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $n i32) (param $out i32)
    (local $pd i32)
    (local.set $pd (i32.shr_u (local.get $rowBytes) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $rows
        (f32.store (local.get $out) (call $dot_f32 (local.get $q) (local.get $base) (local.get $pd)))
        (local.set $base (i32.add (local.get $base) (local.get $rowBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))

  (func (export "scan_l2sq_f32")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $n i32) (param $out i32)
    (local $pd i32)
    (local.set $pd (i32.shr_u (local.get $rowBytes) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $rows
        (f32.store (local.get $out) (call $l2sq_f32 (local.get $q) (local.get $base) (local.get $pd)))
        (local.set $base (i32.add (local.get $base) (local.get $rowBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))

  (func (export "scan_dot_i8")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $n i32) (param $out i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $rows
        (i32.store (local.get $out) (call $dot_i8 (local.get $q) (local.get $base) (local.get $rowBytes)))
        (local.set $base (i32.add (local.get $base) (local.get $rowBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))

  (func (export "scan_l2sq_i8")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $n i32) (param $out i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $rows
        (i32.store (local.get $out) (call $l2sq_i8 (local.get $q) (local.get $base) (local.get $rowBytes)))
        (local.set $base (i32.add (local.get $base) (local.get $rowBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))

  ;; Gathers: score the rows whose indices (u32) are listed at $ids, in list order, one result
  ;; per index at $out. Graph search scores a node's whole neighbour list with one call.
  (func (export "gather_dot_f32")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $ids i32) (param $count i32) (param $out i32)
    (local $pd i32)
    (local.set $pd (i32.shr_u (local.get $rowBytes) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $count)))
      (loop $rows
        (f32.store (local.get $out)
          (call $dot_f32 (local.get $q)
            (i32.add (local.get $base) (i32.mul (i32.load (local.get $ids)) (local.get $rowBytes)))
            (local.get $pd)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $count (i32.sub (local.get $count) (i32.const 1)))))))

  (func (export "gather_l2sq_f32")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $ids i32) (param $count i32) (param $out i32)
    (local $pd i32)
    (local.set $pd (i32.shr_u (local.get $rowBytes) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $count)))
      (loop $rows
        (f32.store (local.get $out)
          (call $l2sq_f32 (local.get $q)
            (i32.add (local.get $base) (i32.mul (i32.load (local.get $ids)) (local.get $rowBytes)))
            (local.get $pd)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $count (i32.sub (local.get $count) (i32.const 1)))))))

  (func (export "gather_dot_i8")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $ids i32) (param $count i32) (param $out i32)
    (block $done
      (br_if $done (i32.eqz (local.get $count)))
      (loop $rows
        (i32.store (local.get $out)
          (call $dot_i8 (local.get $q)
            (i32.add (local.get $base) (i32.mul (i32.load (local.get $ids)) (local.get $rowBytes)))
            (local.get $rowBytes)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $count (i32.sub (local.get $count) (i32.const 1)))))))

  (func (export "gather_l2sq_i8")
    (param $q i32) (param $base i32) (param $rowBytes i32) (param $ids i32) (param $count i32) (param $out i32)
    (block $done
      (br_if $done (i32.eqz (local.get $count)))
      (loop $rows
        (i32.store (local.get $out)
          (call $l2sq_i8 (local.get $q)
            (i32.add (local.get $base) (i32.mul (i32.load (local.get $ids)) (local.get $rowBytes)))
            (local.get $rowBytes)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $rows (local.tee $count (i32.sub (local.get $count) (i32.const 1)))))))
)

//! A JSON number literal to the nearest `f64` (round half to even), bit for bit what
//! `str::parse::<f64>` gives, for literals of any length. The standard library's parse links
//! an 11 KB table of 128-bit powers of five (its Eisel-Lemire step), the largest piece of
//! data in the wasm module; this one needs 23 powers of ten:
//!
//! - the short literals webhooks carry (`17.36`, `12200.00`, `1e-7`) take Clinger's fast
//!   path: an integer below 2^53 and a power of ten that are both exact doubles, so one float
//!   multiplication or division rounds once, correctly;
//! - any other is divided exactly, as big integers, into 64 bits and a sticky remainder,
//!   then rounded to 53 bits (or fewer, subnormal). Slower (natively 0.1 to 4 µs against
//!   std's 20 ns), but only for more digits than a double holds or an exponent past ±22.

use core::cmp::Ordering;

/// Significant digits read: past the 768th a digit can only tell a value from the halfway
/// point between two doubles (which has at most 767 significant digits), so a final 1
/// stands for any nonzero digits dropped after the 800th (the standard library keeps 768).
const KEPT: usize = 800;

/// 10^0 ..= 10^22: the powers of ten a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Every integer up to 2^53 is an exact double.
const EXACT: u64 = 1 << 53;

/// The nearest double to `literal`, a JSON number (`-`, digits, an optional fraction and
/// exponent): infinite beyond the range, ±0 below it; `None` if it is not such a number.
pub(super) fn parse(literal: &str) -> Option<f64> {
    let (negative, unsigned) = match literal.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    let split = unsigned
        .iter()
        .position(|&b| matches!(b, b'e' | b'E'))
        .unwrap_or(unsigned.len());
    let (mantissa, exponent) = unsigned.split_at_checked(split)?;
    let exponent = match exponent {
        [] => 0,
        [_, rest @ ..] => exponent_value(rest)?,
    };
    let magnitude = magnitude(mantissa, exponent)?;
    Some(if negative { -magnitude } else { magnitude })
}

/// An exponent's digits with their optional sign, saturated far beyond any double's range
/// (and any body's length).
fn exponent_value(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = digits.iter().try_fold(0i64, |n, &b| {
        let digit = char::from(b).to_digit(10)?;
        Some((n * 10 + i64::from(digit)).min(1 << 40))
    })?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The digits of a mantissa as read once: enough for the fast path, and for the slow path
/// to read the digits again.
struct Digits {
    /// The first 19 significant digits as an integer (they fit a `u64`).
    first: u64,
    /// How many significant digits there are (the first nonzero one and all after it).
    count: usize,
    /// How many up to the last nonzero one: trailing zeros do not count.
    nonzero: usize,
    /// `value = 0.d₁d₂… × 10^scale`, the d the significant digits.
    scale: i64,
}

/// Reads the digits of a mantissa (digits with an optional point); `None` if it is not one.
fn digits(mantissa: &[u8]) -> Option<Digits> {
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (mantissa.get(..at)?, mantissa.get(at + 1..)?),
        None => (mantissa, &[][..]),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let zeros = |text: &[u8]| text.iter().take_while(|&&b| b == b'0').count();
    let mut read = Digits {
        first: 0,
        count: 0,
        nonzero: 0,
        scale: 0,
    };
    // Leading zeros are not significant; after the point they move the value down.
    let whole = whole.get(zeros(whole)..)?;
    let fraction = if whole.is_empty() {
        let leading = zeros(fraction);
        read.scale = -i64::try_from(leading).ok()?;
        fraction.get(leading..)?
    } else {
        read.scale = i64::try_from(whole.len()).ok()?;
        fraction
    };
    for part in [whole, fraction] {
        for &b in part {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            read.count += 1;
            if digit != 0 {
                read.nonzero = read.count;
            }
            if read.count <= 19 {
                read.first = read.first * 10 + u64::from(digit);
            }
        }
    }
    Some(read)
}

/// The nearest double to the unsigned `mantissa` × 10^`exponent`.
fn magnitude(mantissa: &[u8], exponent: i64) -> Option<f64> {
    let read = digits(mantissa)?;
    if read.nonzero == 0 {
        return Some(0.0);
    }
    let scale = read.scale.saturating_add(exponent);
    // The value lies in [10^(scale-1), 10^scale): beyond f64::MAX, or below half the least
    // subnormal (2.47e-324).
    if scale > 309 {
        return Some(f64::INFINITY);
    }
    if scale < -324 {
        return Some(0.0);
    }
    // value = integer × 10^power: all the digits read (`12200.00` is 1220000 × 10^-2), or,
    // when there are too many, the digits without their trailing zeros.
    let power = |digits: usize| Some(scale - i64::try_from(digits).ok()?);
    if read.count <= 19 {
        if let Some(value) = clinger(read.first, power(read.count)?) {
            return Some(value);
        }
    } else if read.nonzero <= 19 {
        let zeros = 19 - read.nonzero;
        let integer = (0..zeros).fold(read.first, |n, _| n / 10);
        if let Some(value) = clinger(integer, power(read.nonzero)?) {
            return Some(value);
        }
    }
    Some(exact(mantissa, &read, scale))
}

/// Clinger's fast path: `integer` × 10^`power` when one correctly rounded float operation on
/// exact doubles gives it, also when part of the power moves into the integer exactly
/// (`123e30` is 123e8 × 1e22).
fn clinger(integer: u64, power: i64) -> Option<f64> {
    if integer > EXACT {
        return None;
    }
    let exact_power = |p: i64| POW10.get(usize::try_from(p).ok()?).copied();
    if power < 0 {
        return Some(integer as f64 / exact_power(-power)?);
    }
    if let Some(ten) = exact_power(power) {
        return Some(integer as f64 * ten);
    }
    let shifted = 10u64
        .checked_pow(u32::try_from(power - 22).ok()?)
        .and_then(|ten| integer.checked_mul(ten))
        .filter(|&n| n <= EXACT)?;
    Some(shifted as f64 * 1e22)
}

/// The slow path: value = N / M exactly as big integers (N the significant digits, times a
/// power of ten when the exponent is positive; M the power of ten otherwise), scaled by
/// 2^s so the quotient has 63 or 64 bits, then rounded with the remainder as a sticky bit.
fn exact(mantissa: &[u8], read: &Digits, scale: i64) -> f64 {
    let mut numerator = Big::default();
    let significant = mantissa
        .iter()
        .filter(|&&b| b != b'.')
        .skip_while(|&&b| b == b'0')
        .map(|&b| u32::from(b - b'0'));
    let mut used = 0i64;
    let mut chunk = (0u32, 1u32);
    for digit in significant.take(read.nonzero.min(KEPT)) {
        chunk = (chunk.0 * 10 + digit, chunk.1 * 10);
        if chunk.1 == 1_000_000_000 {
            numerator.mul_add(chunk.1, chunk.0);
            chunk = (0, 1);
        }
        used += 1;
    }
    if read.nonzero > KEPT {
        chunk = (chunk.0 * 10 + 1, chunk.1 * 10);
        used += 1;
    }
    numerator.mul_add(chunk.1, chunk.0);

    let power = scale - used;
    let mut denominator = Big::from(1);
    if power >= 0 {
        numerator.mul_pow10(power.unsigned_abs());
    } else {
        denominator.mul_pow10(power.unsigned_abs());
    }
    // N/M lies in [2^(b-1), 2^(b+1)): the quotient of N·2^s by M in [2^62, 2^64).
    let b = numerator.bits() - denominator.bits();
    let s = 63 - b;
    if s >= 0 {
        numerator.shl(s.unsigned_abs());
    } else {
        denominator.shl(s.unsigned_abs());
    }
    let (quotient, inexact) = numerator.divide(denominator);
    round(quotient, -s, inexact)
}

/// The double nearest to (`q` + a fraction, nonzero if `inexact`) × 2^`exponent`, where `q`
/// has 63 or 64 bits: rounded half to even at 53 bits, or fewer below the normal range.
fn round(q: u64, exponent: i64, inexact: bool) -> f64 {
    let length = i64::from(u64::BITS - q.leading_zeros());
    let mut drop = length - 53;
    let mut exponent = exponent + drop;
    if exponent < -1074 {
        drop += -1074 - exponent;
        exponent = -1074;
    }
    let Ok(drop) = u32::try_from(drop) else {
        return 0.0;
    };
    if drop >= 128 {
        return 0.0;
    }
    let q = u128::from(q);
    let mut m = q >> drop;
    let rest = q & ((1 << drop) - 1);
    let half = 1u128 << drop.saturating_sub(1);
    if drop > 0 && (rest > half || (rest == half && (inexact || m & 1 == 1))) {
        m += 1;
        if m == 1 << 53 {
            m >>= 1;
            exponent += 1;
        }
    }
    let Ok(m) = u64::try_from(m) else {
        return f64::INFINITY;
    };
    if m < 1 << 52 {
        return f64::from_bits(m);
    }
    let biased = exponent + 1075;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits((biased.unsigned_abs() << 52) | (m & ((1 << 52) - 1)))
}

/// An unsigned big integer: 32-bit limbs, least significant first, no zero limb on top.
#[derive(Default, Clone)]
struct Big(Vec<u32>);

impl From<u32> for Big {
    fn from(n: u32) -> Self {
        let mut big = Self::default();
        big.mul_add(1, n);
        big
    }
}

impl Big {
    /// self = self × `factor` + `add`.
    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let n = u64::from(*limb) * u64::from(factor) + carry;
            *limb = n as u32;
            carry = n >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut power: u64) {
        while power >= 9 {
            self.mul_add(1_000_000_000, 0);
            power -= 9;
        }
        self.mul_add(10u32.pow(power as u32), 0);
    }

    fn bits(&self) -> i64 {
        self.0.last().map_or(0, |&top| {
            let below = (self.0.len() - 1) as u64 * 32;
            (below + u64::from(u32::BITS - top.leading_zeros())) as i64
        })
    }

    fn shl(&mut self, bits: u64) {
        if self.0.is_empty() {
            return;
        }
        let (limbs, bits) = ((bits / 32) as usize, (bits % 32) as u32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let n = (u64::from(*limb) << bits) | carry;
                *limb = n as u32;
                carry = n >> 32;
            }
            if carry != 0 {
                self.0.push(carry as u32);
            }
        }
        self.0.splice(0..0, core::iter::repeat_n(0, limbs));
    }

    /// self = self / 2.
    fn halve(&mut self) {
        let mut carry = 0;
        for limb in self.0.iter_mut().rev() {
            let n = (*limb >> 1) | carry;
            carry = *limb << 31;
            *limb = n;
        }
        self.trim();
    }

    fn small(&self) -> Option<u128> {
        (self.0.len() <= 4).then(|| {
            self.0
                .iter()
                .rev()
                .fold(0, |n, &limb| (n << 32) | u128::from(limb))
        })
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn compare(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// self = self − `other`, which is not larger.
    fn subtract(&mut self, other: &Self) {
        let mut borrow = false;
        let mut others = other.0.iter();
        for limb in &mut self.0 {
            let (n, b1) = limb.overflowing_sub(others.next().copied().unwrap_or(0));
            let (n, b2) = n.overflowing_sub(u32::from(borrow));
            *limb = n;
            borrow = b1 || b2;
        }
        self.trim();
    }

    /// The quotient of self by `divisor`, known to be below 2^64, and whether a remainder
    /// is left: bit by bit, the divisor shifted from 2^63 down to 2^0 times itself.
    fn divide(mut self, mut divisor: Self) -> (u64, bool) {
        // Both in 128 bits (17 to 19 digits, a small exponent): the same division on
        // machine words (not `u128 /`, whose runtime routine costs 600 B of gzip in wasm).
        if let (Some(n), Some(d)) = (self.small(), divisor.small()) {
            // n < d × 2^64: the remainder starts as the top half and stays below 2d < 2^67.
            let mut rest = n >> 64;
            let mut quotient = 0u64;
            for bit in (0..64).rev() {
                rest = (rest << 1) | ((n >> bit) & 1);
                quotient <<= 1;
                if rest >= d {
                    rest -= d;
                    quotient |= 1;
                }
            }
            return (quotient, rest != 0);
        }
        divisor.shl(63);
        let mut quotient = 0u64;
        for bit in (0..64).rev() {
            if self.compare(&divisor) != Ordering::Less {
                self.subtract(&divisor);
                quotient |= 1 << bit;
            }
            divisor.halve();
        }
        (quotient, !self.0.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(literal: &str) {
        let expected: f64 = literal.parse().unwrap_or_else(|e| panic!("{literal}: {e}"));
        let ours = parse(literal).unwrap_or_else(|| panic!("{literal}: refused"));
        assert_eq!(
            ours.to_bits(),
            expected.to_bits(),
            "{literal}: {ours:e} != {expected:e}"
        );
    }

    #[test]
    fn hard_cases_read_as_the_standard_library_reads_them() {
        let zeros = |n| "0".repeat(n);
        let mut literals: Vec<String> = [
            "0",
            "-0",
            "-0.0",
            "0e999999",
            "-0e-999999",
            "0.000e5",
            "1",
            "-1",
            "0.1",
            "0.2",
            "0.3",
            "0.30000000000000004",
            "17.36",
            "12200.00",
            "1e-7",
            "1e23",
            "1e22",
            "9e22",
            "123e30",
            "9007199254740992",
            "9007199254740993",
            "9007199254740994",
            "9007199254740995",
            "9007199254740993.0000000000000000001",
            "18014398509481985",
            "18446744073709551615",
            "18446744073709551616",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "2.2250738585072009e-308",
            "2.225073858507201136057409796709131975934819546351645648e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "2.4703282292062327e-324",
            "2.4703282292062326e-324",
            "4.9406564584124653e-324",
            "7.4109846876186982e-324",
            "1e-324",
            "3e-324",
            "1e-400",
            "-1e-400",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1.797693134862315807e308",
            "1.797693134862315708145274237317043567981e308",
            "-1.7976931348623159e308",
            "1e308",
            "1e309",
            "1e400",
            "8.98846567431158e307",
            "4.4501477170144023e-308",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "5e-324",
            "123456789012345678901234567890",
            "0.000000000000000000000000000000123456789",
            "3.14159265358979323846264338327950288",
            "1234567890123456789",
            "12345678901234567890",
            "1e-22",
            "1e-23",
            "4503599627370496.5",
            "4503599627370497.5",
            "1.5e-323",
            "2.5e-323",
            "1E+2",
            "1e+000000000000000000000000000000000000000000000000002",
            "1e-000000000000000000000000000000000000000000000000002",
        ]
        .map(String::from)
        .to_vec();
        literals.extend([
            format!("1{}", zeros(300)),
            format!("1{}", zeros(308)),
            format!("1{}", zeros(309)),
            format!("1{}e-300", zeros(300)),
            format!("0.{}1", zeros(323)),
            format!("0.{}1e300", zeros(1000)),
            format!("{}1e-1000", zeros(1000)),
            format!("000{}e-700", "9".repeat(700)),
            format!("{}e-1000", "1".repeat(1100)),
            format!("1.{}1", zeros(800)),
            format!("1.{}1e-330", zeros(800)),
            format!("9.{}", "9".repeat(900)),
            format!("1.7976931348623157{}e308", "9".repeat(800)),
            format!("2.4703282292062327{}e-324", "9".repeat(800)),
            format!("2.4703282292062328{}e-324", zeros(800)),
            format!(
                "1.00000000000000011102230246251565404236316680908203125{}",
                zeros(5000)
            ),
            format!(
                "1.00000000000000011102230246251565404236316680908203125{}1",
                zeros(5000)
            ),
            format!(
                "1.00000000000000011102230246251565404236316680908203124{}",
                "9".repeat(5000)
            ),
        ]);
        for literal in &literals {
            check(literal);
        }
        // Where the standard library stops reading the exponent (past 655359) and reads 0
        // or infinity: the value is still the digits times the power.
        assert_eq!(parse(&format!("0.{}1e655360", zeros(655_359))), Some(1.0));
        assert_eq!(parse(&format!("-1{}e-655360", zeros(655_360))), Some(-1.0));
        assert_eq!(
            parse(&format!("0.{}17e655362", zeros(655_359))),
            Some(170.0)
        );
        assert_eq!(
            parse(&format!("{}e-655360", "7".repeat(655_361))),
            Some(7.777_777_777_777_778)
        );
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for text in [
            "", "-", ".", "1e", "1e+", "1.2.3", "e5", "1x", "--1", "+1", "inf",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    /// `mantissa` × 2^`exponent` exactly as decimal digits D and a power X (D × 10^X), by
    /// the test's own arithmetic: 2^-k is 5^k / 10^k.
    #[cfg(not(target_arch = "wasm32"))]
    fn exact_decimal(mantissa: u64, exponent: i32) -> (String, i32) {
        // Little-endian decimal digits.
        let mut digits: Vec<u32> = mantissa
            .to_string()
            .bytes()
            .rev()
            .map(|b| u32::from(b - b'0'))
            .collect();
        let factor = if exponent >= 0 { 2 } else { 5 };
        for _ in 0..exponent.unsigned_abs() {
            let mut carry = 0;
            for digit in digits.iter_mut() {
                let n = *digit * factor + carry;
                *digit = n % 10;
                carry = n / 10;
            }
            while carry > 0 {
                digits.push(carry % 10);
                carry /= 10;
            }
        }
        let text = digits
            .iter()
            .rev()
            .map(|&d| char::from(b'0' + d as u8))
            .collect();
        (text, exponent.min(0))
    }

    /// Decimal digits minus one (they are not all zeros).
    #[cfg(not(target_arch = "wasm32"))]
    fn decrement(digits: &str) -> String {
        let mut bytes = digits.as_bytes().to_vec();
        for b in bytes.iter_mut().rev() {
            if *b == b'0' {
                *b = b'9';
            } else {
                *b -= 1;
                break;
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::{check, decrement, exact_decimal};
        use proptest::prelude::*;

        /// A literal of the given significant digits: a sign, a point anywhere (or none), an
        /// exponent (or none).
        fn literal(digits: &'static str) -> impl Strategy<Value = String> {
            (
                any::<bool>(),
                digits,
                any::<prop::sample::Index>(),
                any::<bool>(),
                prop::option::of(-400i32..400),
            )
                .prop_map(|(negative, digits, point, with_point, exponent)| {
                    let mut text = String::from(if negative { "-" } else { "" });
                    let at = point.index(digits.len());
                    text.push_str(digits.get(..at).unwrap_or_default());
                    if with_point {
                        text.push_str(if at == 0 { "0." } else { "." });
                    }
                    text.push_str(digits.get(at..).unwrap_or_default());
                    if let Some(exponent) = exponent {
                        text.push_str(&format!("e{exponent}"));
                    }
                    text
                })
        }

        fn finite() -> impl Strategy<Value = f64> {
            any::<u64>()
                .prop_map(f64::from_bits)
                .prop_filter("finite", |f| f.is_finite())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]

            #[test]
            fn short_literals(text in literal("[0-9]{1,40}")) {
                check(&text);
            }

            #[test]
            fn short_literals_without_leading_zeros(text in literal("[1-9][0-9]{0,24}")) {
                check(&text);
            }

            #[test]
            fn doubles_as_rust_writes_them(f in finite()) {
                check(&format!("{f:e}"));
                check(&format!("{f}"));
                check(&format!("{f:.16e}"));
                check(&format!("{f:.25e}"));
            }

            #[test]
            fn doubles_perturbed_in_the_17th_digit(f in finite(), up in any::<bool>()) {
                let text = format!("{f:.16e}");
                let (digits, exponent) = text.split_once('e').unwrap_or((&text, "0"));
                let mut digits = digits.as_bytes().to_vec();
                if let Some(last) = digits.last_mut() {
                    *last = match (*last, up) {
                        (b'9', true) => b'8',
                        (b'0', false) => b'1',
                        (d, true) => d + 1,
                        (d, false) => d - 1,
                    };
                }
                check(&format!("{}e{exponent}", String::from_utf8_lossy(&digits)));
            }

        }

        // Slower cases (long digit strings), fewer of them.
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            /// The exact halfway point between two neighbouring doubles, and just below and
            /// above it.
            #[test]
            fn halfway_points(bits in 0u64..0x7FEF_FFFF_FFFF_FFFF, negative in any::<bool>()) {
                let biased = (bits >> 52) as i32;
                let fraction = bits & ((1 << 52) - 1);
                let (m, e) = if biased == 0 {
                    (fraction, -1074)
                } else {
                    (fraction | 1 << 52, biased - 1075)
                };
                // (2m + 1) × 2^(e-1): between m × 2^e and (m + 1) × 2^e.
                let (digits, power) = exact_decimal(2 * m + 1, e - 1);
                let sign = if negative { "-" } else { "" };
                check(&format!("{sign}{digits}e{power}"));
                // 10^(power-30) below it, 10^(power-21) above it.
                check(&format!("{sign}{}{}e{}", decrement(&digits), "9".repeat(30), power - 30));
                check(&format!("{sign}{digits}{}1e{}", "0".repeat(20), power - 21));
            }

            #[test]
            fn long_literals(text in literal("[0-9]{700,800}")) {
                check(&text);
            }
        }
    }
}

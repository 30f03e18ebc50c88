//! The Damm check digit algorithm (H. Michael Damm, 2004): catches every single-digit error
//! and every transposition of two adjacent digits.

/// Damm's weakly totally anti-symmetric quasigroup of order 10.
const TABLE: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Runs the quasigroup over the digits; the result is the check digit of the input.
fn interim(digits: &[u8]) -> u8 {
    digits.iter().fold(0, |state, &digit| {
        TABLE[usize::from(state)][usize::from(digit % 10)]
    })
}

/// The Damm check digit (0-9) of digit values 0-9, e.g. `[5, 7, 2]` gives 4.
///
/// A value above 9 is reduced modulo 10; callers pass digit values, not ASCII.
pub fn damm_check_digit(digits: &[u8]) -> u8 {
    interim(digits)
}

/// Whether digit values 0-9 end with their correct Damm check digit.
pub fn damm_is_valid(digits_with_check: &[u8]) -> bool {
    !digits_with_check.is_empty() && interim(digits_with_check) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damm_check_digit_of_572_is_4() {
        assert_eq!(damm_check_digit(&[5, 7, 2]), 4);
        assert!(damm_is_valid(&[5, 7, 2, 4]));
    }

    #[test]
    fn damm_check_digit_matches_published_examples() {
        // Examples from the Wikipedia article and Damm's paper.
        assert_eq!(damm_check_digit(&[1, 2, 3, 4, 5]), 9);
        assert_eq!(damm_check_digit(&[]), 0);
    }

    #[test]
    fn damm_rejects_a_wrong_check_digit() {
        assert!(!damm_is_valid(&[5, 7, 2, 3]));
        assert!(!damm_is_valid(&[]));
    }
}

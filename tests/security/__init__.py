"""Proof under bad input, faults and hostile users (issue 8): hardening, fuzzing, permissions."""

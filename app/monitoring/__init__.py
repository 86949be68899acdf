"""Press monitoring: reports in the press and on social media, verified, answered and corrected on time."""

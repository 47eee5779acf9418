def mean(values):
    return sum(values) / len(values) if values else 0.0


def moving_average(samples, window):
    """Average of each run of `window` consecutive samples."""
    if window <= 0:
        raise ValueError("window must be positive")
    averages = []
    for i in range(len(samples) - window):
        averages.append(mean(samples[i:i + window]))
    return averages

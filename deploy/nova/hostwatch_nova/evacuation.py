"""Recovery hand-off throttle: at most N hosts per failure domain per hour, M evacuations per minute."""
import collections


class Throttle:
    def __init__(self, max_hosts_per_domain_per_hour, max_evacuations_per_minute):
        self.max_hosts = max_hosts_per_domain_per_hour
        self.max_evacuations = max_evacuations_per_minute
        self.hosts = collections.defaultdict(collections.deque)  # domain -> deque of (time, host)
        self.evacuations = collections.deque()

    @staticmethod
    def _trim(window, now, span):
        while window and window[0][0] <= now - span:
            window.popleft()

    def admit_host(self, domain, host, now):
        """True if host may start recovery in domain now (a host already admitted this hour stays admitted)."""
        window = self.hosts[domain]
        self._trim(window, now, 3600)
        if any(h == host for _, h in window):
            return True
        if len(window) >= self.max_hosts:
            return False
        window.append((now, host))
        return True

    def take_evacuation(self, now):
        self._trim(self.evacuations, now, 60)
        if len(self.evacuations) >= self.max_evacuations:
            return False
        self.evacuations.append((now, None))
        return True

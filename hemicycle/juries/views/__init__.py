"""Views: staff pages under /w/<slug>/appels/…, public pages under /appels/…,
private links for applicants (/candidature/<token>/) and jurors (/jure/<token>/)."""

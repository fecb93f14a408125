"""Views: staff pages under /w/<slug>/appels/…, public pages under /appels/…,
private links for applicants (/candidature/<token>/); jurors score, logged in, under
/w/<slug>/jury/<campaign code>/."""

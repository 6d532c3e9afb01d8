"""Helpers for the tests that run the app: a server in a subprocess, a fake camera, a browser."""

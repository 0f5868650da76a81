"""The pages: server-rendered Jinja2 templates, plain CSS and JavaScript served by the app (no CDN)."""

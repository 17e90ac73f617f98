# Copy to instance/config.py to override service/config.py's defaults on this machine.
# Environment variables (DATABASE_URL, SECRET_KEY, REGIME_PROFILE, ...) override this file.

# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:5432/registry"
# REGIME_PROFILE = "kr-bill-1bn"
# MAX_UPLOAD_BYTES = 20 * 1024 * 1024

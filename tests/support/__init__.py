"""Test helpers: a moto server process, a fault-injecting S3 proxy, USPTO API stubs, small weekly zips."""

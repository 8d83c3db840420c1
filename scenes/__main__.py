from scenes.cli import entry_point

entry_point()

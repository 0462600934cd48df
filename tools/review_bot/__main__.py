from ..review_bot.cli import main

raise SystemExit(main())

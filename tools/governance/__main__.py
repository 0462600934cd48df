from tools.governance.cli import main

raise SystemExit(main())

import { User, normalizeEmail as norm } from '../models/user';
import { Store } from './store';
import log from './log';

export class UserService {
  private cache = new Map<string, User>();

  constructor(private readonly store: Store) {}

  async register(id: string, email: string): Promise<User> {
    const user = new User(id, norm(email));
    await this.store.put(id, user.describe());
    this.cache.set(id, user);
    log('registered ' + id);
    return user;
  }

  rename(user: User, email: string): User {
    user.changeEmail(email);
    this.invalidate(user.id);
    return user;
  }

  private invalidate(id: string): void {
    this.cache.delete(id);
  }
}
